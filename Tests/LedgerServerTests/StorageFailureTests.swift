import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerd storage failures", .serialized)
struct StorageFailureTests {
    @Test(
        "a full map answers STORAGE_FULL, keeps every acknowledged event, and reads keep working",
        .timeLimit(.minutes(1))
    )
    func storageFull() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("small.json")
        try #"{"storage":{"mapSizeMiB":1,"maxMapSizeMiB":2}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let client = try daemon.connect()
        let padding = String(repeating: "z", count: 8000)
        var acknowledged = 0
        var full: String?
        for index in 1...1000 {
            let reply = try client.request(
                #"APPEND big any {"id":"\#(uuid(index))","type":"x-t","data":{"p":"\#(padding)"}}"#
            )
            if reply.hasPrefix("OK ") {
                acknowledged += 1
            } else {
                full = reply
                break
            }
        }
        let error = try #require(full)
        #expect(error.hasPrefix("ERR STORAGE_FULL "), "\(error)")
        #expect(acknowledged > 50)
        try client.send("READ big")
        let lines = try client.readSequence()
        #expect(lines.count == acknowledged + 1)
        #expect(lines.last == #"END {"count":\#(acknowledged),"next":\#(acknowledged + 1)}"#)
        #expect(try client.request("VERIFY").hasPrefix(#"OK {"root":"#))
        #expect(try client.request("PING") == "PONG")
    }

    @Test("VERIFY over the socket names the tampered position and the daemon keeps serving", .timeLimit(.minutes(1)))
    func tamperedCopy() throws {
        let original = try DaemonProcess()
        try original.start()
        let client = try original.connect()
        for index in 1...50 {
            let note = index == 33 ? "tamper-me" : "fine-\(index)"
            _ = try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{"note":"\#(note)"}}"#)
        }
        #expect(original.stop() == 0)

        let dataFile = original.dataDirectory + "/data.mdb"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        // Copy-on-write leaves stale copies of pages in the file: change every copy, the live one included.
        var searchFrom = bytes.startIndex
        var changed = 0
        while let range = bytes.range(of: Data("tamper-me".utf8), in: searchFrom..<bytes.endIndex) {
            bytes[range.lowerBound] ^= 0x20
            searchFrom = range.upperBound
            changed += 1
        }
        #expect(changed > 0)
        try bytes.write(to: URL(fileURLWithPath: dataFile))

        try original.start()
        defer { original.stop() }
        let auditor = try original.connect()
        let reply = try auditor.request("VERIFY")
        #expect(reply.hasPrefix("ERR INTEGRITY "), "\(reply)")
        #expect(reply.contains(#""position":33"#))
        try auditor.send("READALL 40 1")
        #expect(try auditor.readSequence().first?.hasPrefix(#"EVENT {"position":40,"#) == true)
        #expect(try auditor.request("PING") == "PONG")
    }

    @Test(
        "the data directory is a plain LMDB environment that mdb_stat reads",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/mdb_stat"), "needs lmdb-utils"),
        .timeLimit(.minutes(1))
    )
    func mdbStatReads() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        _ = try daemon.connect().request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#)
        daemon.stop()
        let stat = try Program.run("/usr/bin/mdb_stat", ["-a", daemon.dataDirectory], withStandardError: false)
        let text = stat.output
        #expect(stat.status == 0)
        for name in ["events", "ids", "streams", "leaves", "meta"] {
            #expect(text.contains("Status of \(name)"), "\(text)")
        }
    }
}
