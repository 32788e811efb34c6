import Foundation
import LMDB
import LedgerTestSupport
import Testing

/// An index entry edited while the daemon is stopped (opened with the LMDB module, as an attacker with file access
/// would): `READ` must not return another stream's event, and `VERIFY` must name the entry.
@Suite("ledgerd checks its indexes", .serialized)
struct IndexTamperingTests {
    /// A stopped ledger whose streams `a` and `b` interleave: a1 at 1, b1 at 2, a2 at 3, b2 at 4, a3 at 5.
    static func ledger() throws -> DaemonProcess {
        let daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        for (index, stream) in ["a", "b", "a", "b", "a"].enumerated() {
            let id = uuid(index + 1)
            let reply = try client.request(
                #"APPEND \#(stream) any {"id":"\#(id)","type":"x-t","data":{"n":\#(index)}}"#
            )
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
        #expect(try client.request("VERIFY").hasPrefix("OK "))
        #expect(daemon.stop() == 0)
        return daemon
    }

    /// Overwrites one entry of the database `name` in the stopped daemon's environment.
    static func edit(_ daemon: DaemonProcess, database name: String, key: [UInt8], position: UInt64) throws {
        let environment = try Environment(path: daemon.dataDirectory)
        let database = try environment.openDatabase(name, create: false)
        try environment.write { txn in
            #expect(try txn.getBytes(database, key: key) != nil)
            try txn.put(database, key: key, value: bigEndian(position))
        }
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    @Test("an edited stream-index entry: READ answers ERR INTEGRITY, VERIFY names the entry", .timeLimit(.minutes(1)))
    func editedStreamIndex() throws {
        let daemon = try Self.ledger()
        // a's version 2 (position 3) now points at position 2, b's version 1.
        try Self.edit(daemon, database: "streams", key: Array("a".utf8) + [0] + Self.bigEndian(2), position: 2)

        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        try client.send("READ a")
        let read = try client.readSequence()
        #expect(read.count == 1, "\(read)")
        #expect(read.last?.hasPrefix("ERR INTEGRITY ") == true, "\(read)")
        #expect(read.last?.contains(#""position":2"#) == true, "\(read)")
        #expect(read.last?.contains("the stream index entry for a version 2 points at stream b version 1") == true)
        try client.send("READ a 1 1")
        #expect(try client.readSequence().last == #"END {"count":1,"next":2}"#)
        try client.send("READ b")
        #expect(try client.readSequence().last == #"END {"count":2,"next":3}"#)

        let verify = try client.request("VERIFY")
        #expect(verify.hasPrefix("ERR INTEGRITY "), "\(verify)")
        #expect(verify.contains(#""position":3"#), "\(verify)")
        #expect(verify.contains("the stream index entry for a version 2 points at position 2"), "\(verify)")
    }

    @Test("an edited id-index entry: VERIFY names the entry", .timeLimit(.minutes(1)))
    func editedIDIndex() throws {
        let daemon = try Self.ledger()
        // The id of the event at position 4 now points at position 5.
        let id = try #require(UUID(uuidString: uuid(4)))
        let key = withUnsafeBytes(of: id.uuid) { Array($0) }
        try Self.edit(daemon, database: "ids", key: key, position: 5)

        try daemon.start()
        defer { daemon.stop() }
        let verify = try daemon.connect().request("VERIFY")
        #expect(verify.hasPrefix("ERR INTEGRITY "), "\(verify)")
        #expect(verify.contains(#""position":4"#), "\(verify)")
        #expect(verify.contains("the id index entry for \(uuid(4)) points at position 5"), "\(verify)")
    }
}
