import LedgerWire
import Testing

@testable import EventLog

@Suite("Event ids in the log")
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

    @Test("an id is above the id index when it sorts after its largest key; every id is above an empty index")
    func aboveIndex() throws {
        let low = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        let high = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e70"))
        #expect(EventLog.isAboveIndex(low, maxID: nil) && EventLog.isAboveIndex(.min, maxID: nil))
        #expect(EventLog.isAboveIndex(high, maxID: low))
        #expect(!EventLog.isAboveIndex(low, maxID: high) && !EventLog.isAboveIndex(low, maxID: low))
        #expect(!EventLog.isAboveIndex(.max, maxID: .max))
    }
}
