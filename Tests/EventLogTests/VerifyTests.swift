import EventLog
import Foundation
import LedgerProofs
import LedgerTestSupport
import Testing

@Suite("Integrity and storage")
struct VerifyTests {
    @Test("verify passes on an untouched log and reports the root an independent recomputation gives")
    func verifyClean() throws {
        let fixture = try LogFixture()
        for index in 0..<600 {
            _ = try fixture.log.append(request("s-\(index % 5)", .any, [event("t", ["i": .number(.init(index))])]))
        }
        let report = try fixture.log.verify()
        #expect(report.size == 600)
        #expect(report.verified == 600)
        let leaves = try fixture.log.readAll(from: 1, limit: 1000).map { MerkleHash.leaf($0.bytes) }
        #expect(report.root == MerkleTree.root(of: leaves[...]))
        #expect(fixture.log.head.root == report.root)
        #expect(try fixture.log.verify(from: 100, to: 200).verified == 101)
    }

    @Test("verify finds a byte flipped inside a stored event in a copy of the data file")
    func tamperDetected() throws {
        let fixture = try LogFixture()
        for index in 1...300 {
            let marker = index == 137 ? "tamper-target" : "plain-\(index)"
            _ = try fixture.log.append(request("s", .any, [event("t", ["note": .string(marker)])]))
        }
        let copy = try TemporaryDirectory()
        try fixture.log.environment.copy(to: copy.path, compact: false)
        let dataFile = copy.appending("data.mdb")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        // Pages a later commit replaced may still hold an old copy (until a durable point lets them be reused): flip
        // the byte in every copy, the live one among them.
        var searched = bytes.startIndex..<bytes.endIndex
        var flipped = 0
        while let range = bytes.range(of: Data("tamper-target".utf8), in: searched) {
            bytes[range.lowerBound] ^= 0x01
            searched = range.upperBound..<bytes.endIndex
            flipped += 1
        }
        #expect(flipped > 0)
        try bytes.write(to: URL(fileURLWithPath: dataFile))

        let tampered = try LogFixture.open(copy.path)
        #expect {
            try tampered.verify()
        } throws: { error in
            guard case .integrity(let position, _) = error as? EventLogError else { return false }
            return position == 137
        }
        // The rest of the log is still readable.
        #expect(try tampered.event(at: 138) != nil)
    }

    @Test("a log opened with a tiny map grows it and keeps every event across a reopen")
    func growsFromTinyMap() throws {
        let directory = try TemporaryDirectory()
        let padding = String(repeating: "x", count: 200)
        do {
            let log = try LogFixture.open(directory.path, mapSize: 32 << 10)
            for batch in 0..<40 {
                _ = try log.append(
                    request(
                        "s",
                        .any,
                        (0..<50).map { _ in event("t", ["pad": .string(padding), "b": .number(.init(batch))]) }
                    )
                )
            }
            #expect(log.environment.mapGrowthCount > 0)
            #expect(log.head.position == 2000)
        }
        let reopened = try LogFixture.open(directory.path, mapSize: 32 << 10)
        #expect(reopened.head.position == 2000)
        #expect(try reopened.verify().size == 2000)
    }

    @Test("recorded times are RFC 3339 UTC with microseconds")
    func recordedTime() {
        #expect(RecordedTime(microseconds: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(RecordedTime(microseconds: 951_782_400_000_001).description == "2000-02-29T00:00:00.000001Z")
        #expect(RecordedTime(microseconds: 1_795_377_600_123_456).description == "2026-11-22T20:00:00.123456Z")
    }
}
