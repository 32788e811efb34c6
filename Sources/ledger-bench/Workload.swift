import ArgumentParser
import EventLog
import LedgerJSON
import LedgerTestSupport
import LedgerWire
import SeededRandom

/// Deterministic event content from a seed: the same seed gives the same ids and payloads.
struct Workload {
    /// Which kind of event ids to generate.
    enum IDKind: String, ExpressibleByArgument, CaseIterable {
        case v7, v4
    }

    var generator: SplitMix64
    let idKind: IDKind
    let payloadBytes: Int
    private var millisecond: UInt64 = 1_790_000_000_000
    private var count: UInt64 = 0

    init(seed: UInt64, idKind: IDKind, payloadBytes: Int) {
        generator = SplitMix64(seed: seed)
        self.idKind = idKind
        self.payloadBytes = payloadBytes
    }

    /// The next event id (v7 ids advance one millisecond every 64 events and count up within it, as a client's
    /// generator following RFC 9562's monotonic method does).
    mutating func nextID() -> EventID {
        defer { count += 1 }
        switch idKind {
        case .v7:
            if count > 0 && count.isMultiple(of: 64) { millisecond += 1 }
            return EventID.v7(milliseconds: millisecond, sequence: UInt16(count % 64), using: &generator)
        case .v4:
            return EventID.v4(using: &generator)
        }
    }

    /// The next event, about `payloadBytes` of data.
    mutating func nextEvent() -> ProposedEvent? {
        let filler = String(repeating: "x", count: max(0, payloadBytes - 60))
        let data: JSONValue = [
            "amountPence": .number(JSONNumber(Int64(generator.next() % 1_000_000))),
            "outcome": "independent-living", "note": .string(filler),
        ]
        return try? ProposedEvent(
            id: nextID().description,
            type: "x-bench-outcome",
            data: data,
            meta: ["actor": "bench"]
        )
    }

    /// The wire form of the next event.
    mutating func nextEventJSON() -> String {
        let filler = String(repeating: "x", count: max(0, payloadBytes - 60))
        return
            #"{"id":"\#(nextID())","type":"x-bench-outcome","data":{"amountPence":\#(generator.next() % 1_000_000),"note":"\#(filler)","outcome":"independent-living"},"meta":{"actor":"bench"}}"#
    }
}
