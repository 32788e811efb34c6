import Foundation
import LedgerTestSupport
import Testing

/// The data directory on a full filesystem (an 8 MiB tmpfs). Needs root and `mount`, so it runs only when
/// `LEDGER_FULL_DISK=1` (as `ops/reliability` sets), and skips with a printed reason when the mount is refused.
@Suite("ledgerd on a full disk", .serialized)
struct FullDiskTests {
    @Test(
        "a full filesystem answers STORAGE_FULL, reads keep working, nothing is lost, appends resume once space is freed",
        .enabled(if: ProcessInfo.processInfo.environment["LEDGER_FULL_DISK"] == "1"),
        .timeLimit(.minutes(2))
    )
    func fullDisk() throws {
        let daemon = try DaemonProcess()
        try FileManager.default.createDirectory(atPath: daemon.dataDirectory, withIntermediateDirectories: true)
        let (mounted, output) = try Self.run(
            "/bin/mount",
            ["-t", "tmpfs", "-o", "size=8m", "tmpfs", daemon.dataDirectory]
        )
        guard mounted else {
            print("full-disk test skipped: mount -t tmpfs is not permitted here: \(output)")
            return
        }
        defer {
            daemon.stop()
            _ = try? Self.run("/bin/umount", [daemon.dataDirectory])
        }
        let filler = daemon.dataDirectory + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 2 << 20)))
        let config = daemon.directory.appending("disk.json")
        try #"{"storage":{"mapSizeMiB":1,"maxMapSizeMiB":64}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        let client = try daemon.connect()
        let padding = String(repeating: "z", count: 8000)
        var acknowledged = 0
        var refusal: String?
        for index in 1...5000 {
            let reply = try client.request(
                #"APPEND big any {"id":"\#(uuid(index))","type":"x-t","data":{"p":"\#(padding)"}}"#
            )
            guard reply.hasPrefix("OK ") else {
                refusal = reply
                break
            }
            acknowledged += 1
        }
        let error = try #require(refusal)
        #expect(error.hasPrefix("ERR STORAGE_FULL "), "\(error)")
        #expect(acknowledged > 50)
        try Self.expectStream(acknowledged, client)
        #expect(try client.request("PING") == "PONG")

        try FileManager.default.removeItem(atPath: filler)
        let resumed = try client.request(#"APPEND big any {"id":"\#(uuid(9999))","type":"x-t","data":{}}"#)
        #expect(resumed.hasPrefix("OK "), "\(resumed)")
        try Self.expectStream(acknowledged + 1, client)

        #expect(daemon.stop() == 0)
        try daemon.start(["--config", config])
        try Self.expectStream(acknowledged + 1, try daemon.connect())
    }

    /// Expects stream `big` to hold `count` events and the log to verify.
    static func expectStream(_ count: Int, _ client: LineClient) throws {
        try client.send("READ big")
        let lines = try client.readSequence(timeout: 30)
        #expect(lines.last == #"END {"count":\#(count),"next":\#(count + 1)}"#)
        #expect(try client.request("VERIFY", timeout: 30).hasPrefix(#"OK {"root":"#))
    }

    /// Runs a command; returns whether it succeeded and what it printed.
    static func run(_ path: String, _ arguments: [String]) throws -> (Bool, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus == 0, output)
    }
}
