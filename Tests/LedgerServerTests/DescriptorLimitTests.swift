import Foundation
import LedgerTestSupport
import Testing

/// The daemon at its file-descriptor limit (`RLIMIT_NOFILE`): it refuses or queues connections, logs once per
/// burst, does not spin, and serves again once descriptors are free.
@Suite("File-descriptor limit", .serialized)
struct DescriptorLimitTests {
    static let canLimit = FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")

    @Test(
        "started with 64 descriptors, the daemon serves what fits and refuses the rest with OVERLOADED",
        .enabled(if: canLimit, "needs /usr/bin/prlimit"),
        .timeLimit(.minutes(2))
    )
    func startedAtTheLimit() throws {
        let directory = try TemporaryDirectory(prefix: "ledgerd")
        let launcher = directory.appending("ledgerd-64-descriptors")
        try "#!/bin/sh\nexec /usr/bin/prlimit --nofile=64:64 \(DaemonProcess.binary) \"$@\"\n"
            .write(toFile: launcher, atomically: true, encoding: .utf8)
        chmod(launcher, 0o755)
        let daemon = try DaemonProcess(directory: directory, executable: launcher)
        try daemon.start()
        defer { daemon.stop() }
        let pid = try #require(daemon.processIdentifier)
        #expect(daemon.log.contains("the file-descriptor limit allows fewer connections"))

        var served = [LineClient]()
        var refused = 0
        for _ in 0..<80 {
            let client = try daemon.connect()
            // A refused connection may be closed before this is sent; its error is read all the same.
            try? client.send("PING")
            let line = try client.readLine(timeout: 5)
            if line == "PONG" {
                served.append(client)
            } else {
                #expect(line?.hasPrefix("ERR OVERLOADED ") == true, "\(line ?? "closed")")
                #expect(line?.contains(#""limit":"limits.maxConnections""#) == true)
                #expect(try client.readLine(timeout: 5) == nil, "a refused connection is closed")
                refused += 1
            }
        }
        #expect(served.count > 0 && refused > 0, "\(served.count) served, \(refused) refused")
        #expect(ConnectionLimitTests.lines(of: daemon, containing: "connection refused") == 1, "\(daemon.log)")
        try Self.expectIdle(pid)

        served.removeLast()
        let next = try BadInputTests.connections(settlingAt: UInt64(served.count), of: try #require(served.first))
        #expect(next == UInt64(served.count))
        #expect(try daemon.connect().request("PING", timeout: 5) == "PONG")
    }

    @Test(
        "when accept fails for want of descriptors, the daemon refuses connections without spinning and recovers",
        .enabled(if: canLimit, "needs /usr/bin/prlimit"),
        .timeLimit(.minutes(2))
    )
    func acceptFailsAtTheLimit() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let pid = try #require(daemon.processIdentifier)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        let limit = open + 8
        let prlimit = try Process.run(
            URL(fileURLWithPath: "/usr/bin/prlimit"),
            arguments: ["--pid", "\(pid)", "--nofile=\(limit):"]
        )
        prlimit.waitUntilExit()
        #expect(prlimit.terminationStatus == 0)

        var clients = [LineClient]()
        for _ in 0..<30 {
            let client = try daemon.connect()
            try client.send("PING")
            clients.append(client)
        }
        try Self.expectIdle(pid)
        #expect(ConnectionLimitTests.lines(of: daemon, containing: "cannot accept connections") == 1, "\(daemon.log)")

        // Once descriptors are free again, every connection has its answer: served, or refused for want of
        // descriptors (one each time the backoff lets an accept through), none left hanging.
        let lifted = try Process.run(
            URL(fileURLWithPath: "/usr/bin/prlimit"),
            arguments: ["--pid", "\(pid)", "--nofile=4096:"]
        )
        lifted.waitUntilExit()
        var served = 0
        for client in clients {
            let line = try client.readLine(timeout: 10)
            if line == "PONG" {
                served += 1
            } else {
                #expect(line?.hasPrefix("ERR OVERLOADED ") == true, "\(line ?? "closed")")
                #expect(line?.contains(#""limit":"RLIMIT_NOFILE""#) == true)
            }
        }
        #expect(served > 0 && served < clients.count, "\(served) of \(clients.count) served")
        #expect(try daemon.connect().request("PING") == "PONG")
    }

    /// Expects the daemon to use under half a second of CPU in 3 s (a core spinning on `accept` uses all of it).
    static func expectIdle(_ pid: Int32) throws {
        let before = try ProcessStatus(pid: pid).cpuTicks
        Thread.sleep(forTimeInterval: 3)
        let used = try ProcessStatus(pid: pid).cpuTicks - before
        #expect(used < 50, "the daemon used \(used) ticks of CPU in 3 s while at its descriptor limit")
        print("descriptor limit: \(used) ticks of CPU in 3 s at the limit")
    }
}
