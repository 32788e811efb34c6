import Foundation
import LedgerTestSupport
import Testing

/// Damaged or missing data must be refused, never served: a truncated `data.mdb` (which LMDB would map past the end
/// of the file, dying with SIGBUS), and a `data.mdb` missing, emptied or replaced beside the ledger's identity record
/// (which used to start as an empty or different ledger and accept appends).
@Suite("ledgerd refuses damaged or missing data", .serialized)
struct DamagedDataTests {
    /// A stopped ledger with `count` events of about 2 KB each, so its data file spans many pages.
    static func ledger(
        events count: Int,
        stream: String = "s",
        idPrefix: String = "0190f3a0-7c1e-7d2a-9b3c"
    ) throws
        -> DaemonProcess
    {
        let daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        let padding = String(repeating: "p", count: 2000)
        for index in 1...count {
            let id = uuid(index, prefix: idPrefix)
            let reply = try client.request(
                #"APPEND \#(stream) any {"id":"\#(id)","type":"x-t","data":{"i":\#(index),"p":"\#(padding)"}}"#
            )
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
        #expect(daemon.stop() == 0)
        return daemon
    }

    static func size(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    static func contents(of directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test(
        "a data.mdb cut inside its newest pages, to a quarter or half: exit 5 naming the sizes, no SIGBUS",
        .timeLimit(.minutes(2))
    )
    func truncatedDataFile() throws {
        let original = try Self.ledger(events: 200)
        let dataFile = original.dataDirectory + "/data.mdb"
        let full = try Self.size(of: dataFile)
        let (pageSize, newestRoot) = try Self.newestRoot(of: dataFile)
        #expect(full > 100 * pageSize)
        let cuts = [
            ("before its newest root page", Int(newestRoot) * pageSize), ("a quarter", full / 4), ("half", full / 2),
        ]
        for (label, length) in cuts {
            let damaged = try DaemonProcess()
            try FileManager.default.copyItem(atPath: original.dataDirectory, toPath: damaged.dataDirectory)
            let copy = damaged.dataDirectory + "/data.mdb"
            #expect(truncate(copy, off_t(length)) == 0)
            let before = try Self.contents(of: damaged.dataDirectory)
            let ending = try damaged.runToEnd()
            #expect(ending == .exited(5), "\(label): \(ending) \(damaged.log)")
            #expect(damaged.log.contains("\(copy) is truncated: it has \(length) bytes"), "\(label): \(damaged.log)")
            #expect(try Self.size(of: copy) == length)
            #expect(try Self.contents(of: damaged.dataDirectory) == before)
        }
    }

    @Test("a data.mdb one page short is refused, or served whole when that page was free: never SIGBUS, never wrong")
    func onePageShort() throws {
        let original = try Self.ledger(events: 200)
        let (pageSize, _) = try Self.newestRoot(of: original.dataDirectory + "/data.mdb")
        let damaged = try DaemonProcess()
        try FileManager.default.copyItem(atPath: original.dataDirectory, toPath: damaged.dataDirectory)
        let copy = damaged.dataDirectory + "/data.mdb"
        #expect(truncate(copy, off_t(try Self.size(of: copy) - pageSize)) == 0)
        do {
            try damaged.start()
        } catch {
            #expect(damaged.log.contains("\(copy) is truncated"), "\(damaged.log)")
            return
        }
        defer { damaged.stop() }
        let client = try damaged.connect()
        #expect(try client.request("VERIFY", timeout: 30).contains(#""verified":200"#))
        try client.send("READ s")
        #expect(try client.readSequence().last == #"END {"count":200,"next":201}"#)
    }

    /// The page size and the higher root page (main or free-list tree) of the newer meta page of an LMDB file: a page
    /// every reader of the file needs (lmdb 0.9's `MDB_meta`: page size at 40, roots at 80 and 128, txnid at 144).
    static func newestRoot(of path: String) throws -> (pageSize: Int, root: UInt64) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func load<Value: FixedWidthInteger>(_ offset: Int, _ type: Value.Type) -> Value {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
        }
        let pageSize = Int(load(40, UInt32.self))
        let meta = load(pageSize + 144, UInt64.self) > load(144, UInt64.self) ? pageSize : 0
        let roots = [load(meta + 80, UInt64.self), load(meta + 128, UInt64.self)].filter { $0 != UInt64.max }
        return (pageSize, try #require(roots.max()))
    }

    @Test(
        "an empty or deleted data.mdb beside the identity record: exit 5, nothing created; --start-new-ledger works",
        .timeLimit(.minutes(2))
    )
    func missingDataFile() throws {
        let daemon = try Self.ledger(events: 5)
        let dataFile = daemon.dataDirectory + "/data.mdb"
        let before = try Self.contents(of: daemon.dataDirectory)
        #expect(before.contains("ledger-identity.json"), "\(before)")

        #expect(truncate(dataFile, 0) == 0)
        #expect(try daemon.runToEnd() == .exited(5), "\(daemon.log)")
        #expect(daemon.log.contains("\(dataFile) is empty, but"), "\(daemon.log)")
        #expect(daemon.log.contains("at position 5"), "\(daemon.log)")
        #expect(daemon.log.contains("--start-new-ledger"), "\(daemon.log)")
        #expect(try Self.size(of: dataFile) == 0)
        #expect(try Self.contents(of: daemon.dataDirectory) == before)

        try FileManager.default.removeItem(atPath: dataFile)
        #expect(try daemon.runToEnd() == .exited(5), "\(daemon.log)")
        #expect(daemon.log.contains("\(dataFile) is missing, but"), "\(daemon.log)")
        #expect(try Self.contents(of: daemon.dataDirectory) == before.filter { $0 != "data.mdb" })

        try daemon.start(["--start-new-ledger"])
        let client = try daemon.connect()
        #expect(try client.request("STATUS").contains(#""head":0"#))
        #expect(try client.request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#).hasPrefix("OK "))
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("--start-new-ledger: the identity record was replaced"), "\(daemon.log)")
        // The new ledger's record stands: a plain start works.
        try daemon.start()
        #expect(try daemon.connect().request("STATUS").contains(#""head":1"#))
        #expect(daemon.stop() == 0)
    }

    @Test(
        "another ledger's data.mdb, an older copy, or one with another history: exit 5 saying which",
        .timeLimit(.minutes(2))
    )
    func replacedDataFile() throws {
        let daemon = try Self.ledger(events: 10)
        let dataFile = daemon.dataDirectory + "/data.mdb"
        let scratch = try TemporaryDirectory(prefix: "replaced")
        let older = scratch.appending("older.mdb")
        try FileManager.default.copyItem(atPath: dataFile, toPath: older)
        try daemon.start()
        let client = try daemon.connect()
        for index in 11...20 {
            _ = try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{"i":\#(index)}}"#)
        }
        #expect(daemon.stop() == 0)
        let current = scratch.appending("current.mdb")
        try FileManager.default.copyItem(atPath: dataFile, toPath: current)

        let other = try Self.ledger(events: 30, stream: "other", idPrefix: "0190f3a0-7c1e-7d2a-8b3c")
        try Self.replace(dataFile, with: other.dataDirectory + "/data.mdb")
        #expect(try daemon.runToEnd() == .exited(5), "\(daemon.log)")
        #expect(daemon.log.contains("the data file was replaced"), "\(daemon.log)")

        try Self.replace(dataFile, with: older)
        #expect(try daemon.runToEnd() == .exited(5), "\(daemon.log)")
        #expect(daemon.log.contains("ends at position 10, but"), "\(daemon.log)")
        #expect(daemon.log.contains("records position 20"), "\(daemon.log)")

        // The same ledger (its id travels in data.mdb) forked at 10: 15 other events make its head pass 20.
        let fork = try DaemonProcess()
        try FileManager.default.createDirectory(atPath: fork.dataDirectory, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: older, toPath: fork.dataDirectory + "/data.mdb")
        try fork.start()
        let forkClient = try fork.connect()
        for index in 11...25 {
            _ = try forkClient.request(#"APPEND t any {"id":"\#(uuid(index + 100))","type":"x-t","data":{}}"#)
        }
        #expect(fork.stop() == 0)
        #expect(fork.log.contains("ledger identity record written for the existing data"), "\(fork.log)")
        try Self.replace(dataFile, with: fork.dataDirectory + "/data.mdb")
        #expect(try daemon.runToEnd() == .exited(5), "\(daemon.log)")
        #expect(daemon.log.contains("at position 20, but"), "\(daemon.log)")
        #expect(daemon.log.contains("the history differs"), "\(daemon.log)")

        try Self.replace(dataFile, with: current)
        try daemon.start()
        #expect(try daemon.connect().request("STATUS").contains(#""head":20"#))
        #expect(daemon.stop() == 0)
    }

    static func replace(_ path: String, with source: String) throws {
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: source, toPath: path)
    }
}
