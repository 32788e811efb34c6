import LedgerTestSupport
import SeededRandom
import Testing

@testable import EventLog

@Suite("Event ids")
struct EventIDTests {
    @Test("v7() ids from one process increase strictly and carry version 7 and the RFC 4122 variant")
    func v7Monotonic() {
        let ids = (0..<10_000).map { _ in EventID.v7() }
        for (earlier, later) in zip(ids, ids.dropFirst()) { #expect(earlier < later) }
        for id in ids.prefix(100) {
            #expect(id.bytes[6] >> 4 == 7)
            #expect(id.bytes[8] >> 6 == 0b10)
        }
    }

    @Test("a sequence number orders ids of one millisecond and sits in the 12 rand_a bits")
    func v7Sequence() throws {
        var generator = SplitMix64(seed: 7)
        let ids = (0..<4096).map {
            EventID.v7(milliseconds: 1_790_000_000_000, sequence: UInt16($0), using: &generator)
        }
        for (earlier, later) in zip(ids, ids.dropFirst()) { #expect(earlier < later) }
        let last = try #require(ids.last)
        #expect(last.description.hasPrefix("01a0c450-6c00-7fff-"))
        let nextMillisecond = EventID.v7(milliseconds: 1_790_000_000_001, sequence: 0, using: &generator)
        #expect(last < nextMillisecond)
    }

    @Test("ids order by their bytes as the id index does: an empty key first, byte by byte, a shorter prefix first")
    func byteOrder() throws {
        let low = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        let high = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e70"))
        let top = try #require(EventID("f190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        #expect(low < high && high < top && !(high < low) && !(low < low))
        #expect(EventID.precedes([], low.bytes) && !EventID.precedes(low.bytes, []) && !EventID.precedes([], []))
        #expect(EventID.precedes(Array(low.bytes.prefix(8)), low.bytes))
        #expect([top, low, high].sorted() == [low, high, top])
    }
}
