import DurableFiles
import Foundation
import LedgerTestSupport
import LedgerWire
import Testing

@testable import EventLog

@Suite("Journal")
struct JournalTests {
    @Test("CRC-32C gives the standard check value")
    func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(Array("56789".utf8), continuing: CRC32C.checksum(Array("1234".utf8))) == 0xE306_9283)
        // Eight bytes at a time, the same as bit by bit, at every length and alignment.
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                var bitwise: UInt32 = ~0
                for byte in bytes[start..<end] {
                    bitwise ^= UInt32(byte)
                    for _ in 0..<8 { bitwise = bitwise & 1 == 1 ? (bitwise >> 1) ^ 0x82F6_3B78 : bitwise >> 1 }
                }
                #expect(CRC32C.checksum(Array(bytes[start..<end])) == ~bitwise, "bytes \(start)..<\(end)")
            }
        }
    }

    @Test("a record reads back whole at its position, and not at all when torn, altered, elsewhere or zeros")
    func recordRoundTrip() throws {
        var bytes = [UInt8]()
        JournalRecord.begin(&bytes, first: 41)
        for envelope in [Array("{\"a\":1}".utf8), Array("{\"b\":22}".utf8)] {
            envelope.withUnsafeBytes { JournalRecord.append(envelope: $0, to: &bytes) }
        }
        JournalRecord.seal(&bytes, count: 2, importedThrough: 7)
        let read = bytes.withUnsafeBytes { JournalRecord.read($0, expected: 41) }
        let (record, length) = try #require(read)
        #expect(length == bytes.count)
        #expect(
            record
                == JournalRecord(
                    first: 41,
                    importedThrough: 7,
                    envelopes: [Array("{\"a\":1}".utf8), Array("{\"b\":22}".utf8)]
                )
        )
        #expect(bytes.withUnsafeBytes { JournalRecord.read($0, expected: 42) } == nil, "at another position")
        #expect(bytes.dropLast().withUnsafeBytes { JournalRecord.read($0, expected: 41) } == nil, "torn")
        for index in [0, 5, 9, 13, 21, 30, bytes.count - 1] {
            var altered = bytes
            altered[index] ^= 0x10
            #expect(altered.withUnsafeBytes { JournalRecord.read($0, expected: 41) } == nil, "byte \(index) altered")
        }
        let zeros = [UInt8](repeating: 0, count: 4096)
        #expect(zeros.withUnsafeBytes { JournalRecord.read($0, expected: 41) } == nil)
    }

    @Test("a log left without a flush (as a crash leaves it) redoes its journal when it opens again")
    func redoAfterCrash() throws {
        let directory = try TemporaryDirectory()
        var acknowledged = [AppendResult]()
        do {
            let log = try LogFixture.open(directory.path)
            for index in 0..<50 {
                acknowledged.append(try log.append(request("s-\(index % 3)", .any, [event(), event()])))
            }
            #expect(try !JournalSegment.list(in: JournalSegment.directory(in: directory.path)).isEmpty)
        }
        let log = try LogFixture.open(directory.path)
        #expect(log.redoneAtOpen > 0)
        #expect(log.head.position == 100)
        #expect(try log.verify().verified == 100)
        #expect(try log.readAll(from: 1, limit: 200).count == 100)
        #expect(try log.version(of: "s-0") == 34)
        #expect(try JournalSegment.list(in: JournalSegment.directory(in: directory.path)).isEmpty, "redone, deleted")
        // The journal goes on from the head.
        #expect(try log.append(request("s-0", .exact(34), [event()])).first == 101)
        try log.flush()
        #expect(try JournalSegment.list(in: JournalSegment.directory(in: directory.path)).isEmpty, "flushed, empty")
        #expect(log.durableThrough == 101)
        #expect(log.durablePointFailure == nil)
    }

    @Test("a group commit of more events of one stream than one append may hold is redone in runs that fit")
    func redoLongRun() throws {
        let directory = try TemporaryDirectory()
        let size = AppendRequest.maxEvents
        do {
            let log = try LogFixture.open(directory.path)
            let results = log.append([
                request("s", .exact(0), (0..<size).map { _ in event() }),
                request("s", .exact(UInt64(size)), (0..<size).map { _ in event() }),
            ])
            #expect(results.allSatisfy { (try? $0.get()) != nil })
        }
        let log = try LogFixture.open(directory.path)
        #expect(log.redoneAtOpen == 2 * size)
        #expect(try log.version(of: "s") == UInt64(2 * size))
    }

    @Test("another ledger's journal is refused, not redone")
    func foreignJournal() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(first.path)
            _ = try log.append(request("s", .any, [event()]))
        }
        do {
            let log = try LogFixture.open(second.path)
            _ = try log.append(request("s", .any, [event()]))
            try log.flush()
        }
        let segments = try JournalSegment.list(in: JournalSegment.directory(in: first.path))
        let segment = try #require(segments.first)
        try FileManager.default.createDirectory(
            atPath: JournalSegment.directory(in: second.path),
            withIntermediateDirectories: true
        )
        try FileManager.default.copyItem(
            atPath: segment.path,
            toPath: "\(JournalSegment.directory(in: second.path))/\(JournalSegment.name(2))"
        )
        #expect {
            try LogFixture.open(second.path)
        } throws: { error in
            guard case .damaged(let message) = error as? EventLogError else { return false }
            return message.contains("not a journal segment of ledger")
        }
    }
}
