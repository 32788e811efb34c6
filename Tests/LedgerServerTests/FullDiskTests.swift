import Foundation
import LedgerTestSupport
import Testing

/// The data directory on a full filesystem (an 8 MiB tmpfs). Needs root and `mount`: it runs as root and skips with a
/// printed reason when the mount is refused.
@Suite("ledgerd on a full disk", .serialized)
struct FullDiskTests {
    /// With the map's maximum at 8 MiB, the writer never answers ahead of LMDB's commit (it keeps 8 MiB of map spare
    /// for that); at 64 MiB it does, reserving disk blocks first, until the disk has no room for them.
    @Test(
        "a full filesystem answers STORAGE_FULL, reads keep working, nothing is lost, appends resume once space is freed",
        .enabled(if: geteuid() == 0),
        .timeLimit(.minutes(2)),
        arguments: [8, 64]
    )
    func fullDisk(maxMapMiB: Int) throws {
        let daemon = try DaemonProcess()
        try FileManager.default.createDirectory(atPath: daemon.dataDirectory, withIntermediateDirectories: true)
        let mount = try Program.run("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", daemon.dataDirectory])
        guard mount.status == 0 else {
            print("full-disk test skipped: mount -t tmpfs is not permitted here: \(mount.output)")
            return
        }
        defer {
            daemon.stop()
            _ = try? Program.run("/bin/umount", [daemon.dataDirectory])
        }
        let filler = daemon.dataDirectory + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 2 << 20)))
        let config = daemon.directory.appending("disk.json")
        let backups = daemon.dataDirectory + "/backups"
        try #"{"storage":{"mapSizeMiB":1,"maxMapSizeMiB":\#(maxMapMiB)},"backupDirectory":"\#(backups)"}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        let client = try daemon.connect()
        var acknowledged = 0
        var refusals = [String]()
        // Events of mixed sizes: LMDB reports a commit that finds the disk full part-way through its pages as an I/O
        // error (EIO), which was answered INTERNAL "Input/output error" and logged nowhere before it was classified.
        let sizes = [8000, 100, 60000, 1000, 20000, 5000]
        for index in 1...3000 {
            let padding = String(repeating: "z", count: sizes[index % sizes.count])
            let reply = try client.request(
                #"APPEND big any {"id":"\#(uuid(index))","type":"x-t","data":{"p":"\#(padding)"}}"#
            )
            if reply.hasPrefix("OK ") { acknowledged += 1 } else { refusals.append(reply) }
            if refusals.count >= 200 { break }
        }
        #expect(refusals.count >= 200, "the disk filled up")
        let early = !(try client.request("STATUS")).contains(#""earlyAnswers":0,"#)
        #expect(early == (maxMapMiB > 8), "appends answered ahead of LMDB's commit while there was room")
        for refusal in Set(refusals.map { String($0.prefix(40)) }) {
            #expect(refusal.hasPrefix("ERR STORAGE_FULL "), "\(refusal)")
        }
        let backup = try client.request("BACKUP full")
        #expect(backup.hasPrefix("ERR STORAGE_FULL "), "\(backup)")
        #expect(acknowledged > 50)
        try Self.expectStream(acknowledged, client)
        #expect(try client.request("PING") == "PONG")
        #expect(!daemon.log.contains("request failed inside the server"), "no INTERNAL error")

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
}
