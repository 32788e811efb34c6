import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerd lifecycle", .serialized)
struct DaemonLifecycleTests {
    @Test("events survive a restart and the socket file is removed on SIGTERM", .timeLimit(.minutes(2)))
    func restartKeepsData() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        for index in 1...20 {
            let reply = try client.request(
                #"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{"i":\#(index)}}"#
            )
            #expect(reply.hasPrefix("OK "))
        }
        let root = try Self.field("root", of: try client.request("STATUS"))
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.log.contains("stopped"))

        try daemon.start()
        let again = try daemon.connect()
        let status = try again.request("STATUS")
        #expect(status.contains(#""head":20"#))
        #expect(try Self.field("root", of: status) == root)
        #expect(try again.request("VERIFY").hasPrefix(#"OK {"root":"\#(root)","size":20,"verified":20}"#))
        #expect(daemon.stop() == 0)
    }

    @Test("a second ledgerd on the same data directory is refused with exit code 3", .timeLimit(.minutes(1)))
    func dataDirectoryLocked() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let second = try DaemonProcess()
        let code = try second.runExpectingFailure(["--data-dir", daemon.dataDirectory])
        #expect(code == 3)
        #expect(second.log.contains("another ledgerd is using"))
    }

    @Test("a socket path in use is refused with exit code 4; a stale socket is replaced", .timeLimit(.minutes(1)))
    func socketChecks() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let other = try DaemonProcess()
        #expect(try other.runExpectingFailure(["--socket", daemon.socketPath]) == 4)
        #expect(other.log.contains("another server is listening"))

        let notSocket = other.directory.appending("plain-file")
        _ = FileManager.default.createFile(atPath: notSocket, contents: Data("x".utf8))
        #expect(try other.runExpectingFailure(["--socket", notSocket]) == 4)

        // kill -9 leaves the socket file behind; the next start must replace it.
        daemon.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        try daemon.start()
        #expect(try daemon.connect().request("PING") == "PONG")
        daemon.stop()
    }

    @Test(
        "an unusable data directory is refused with exit code 5; bad config with exit code 2",
        .timeLimit(.minutes(1))
    )
    func unusableStartup() throws {
        let daemon = try DaemonProcess()
        let file = daemon.directory.appending("file")
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        #expect(try daemon.runExpectingFailure(["--data-dir", file]) == 5)
        #expect(daemon.log.contains("cannot use data directory"))

        let config = daemon.directory.appending("bad.json")
        try #"{"limits":{"maxLineBytes":"big"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
        #expect(daemon.log.contains("limits.maxLineBytes"))
        try #"{"socket":{"paht":"x"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
        #expect(daemon.log.contains("socket.paht"))
    }

    @Test("the socket file is created with mode 0660", .timeLimit(.minutes(1)))
    func socketMode() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.socketPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
    }

    @Test(
        "SIGTERM answers in-flight requests, ends idle and stalled clients, and exits 0 in bounded time",
        .timeLimit(.minutes(1))
    )
    func shutdownWithStalledClient() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("fast.json")
        try #"{"limits":{"shutdownGraceSeconds":2,"subscriberStallSeconds":60}}"#.write(
            toFile: config,
            atomically: true,
            encoding: .utf8
        )
        try daemon.start(["--config", config])
        // Fill the log so a stalled reader cannot take it all.
        let writer = try daemon.connect()
        let padding = String(repeating: "x", count: 2000)
        for index in 1...300 {
            try writer.send(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{"p":"\#(padding)"}}"#)
        }
        for _ in 1...300 { #expect(try writer.readLine()?.hasPrefix("OK ") == true) }
        let stalled = try daemon.connect()
        try stalled.send("SUBSCRIBE")  // never read
        let idle = try daemon.connect()
        #expect(try idle.request("PING") == "PONG")
        Thread.sleep(forTimeInterval: 0.3)

        let started = Date()
        #expect(daemon.stop() == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try idle.readLine() == #"ERR SHUTTING_DOWN {"message":"the server is shutting down"}"#)
        #expect(try idle.readLine() == nil)
    }

    static func field(_ name: String, of line: String) throws -> String {
        let marker = "\"\(name)\":\""
        let start = try #require(line.range(of: marker)).upperBound
        let end = try #require(line[start...].firstIndex(of: "\""))
        return String(line[start..<end])
    }
}
