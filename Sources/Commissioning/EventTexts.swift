import LedgerJSON
import LedgerWire

/// An event's id and recorded time, packed inline (`EventID`, `PackedTimestamp`): neither an event being folded nor
/// the fact it becomes allocates for them, and a fact's stamp stays small. Texts of another shape (which the log never
/// writes, but a test or a hand-made state may hold), an id in uppercase among them, are kept as they are, in a box.
struct EventTexts: Sendable, Hashable {
    private var packedID = EventID.min
    private var packedRecorded = PackedTimestamp()
    /// Both texts as they are, when either does not pack (and then the packed ones are all zero).
    private var unusual: Unusual?

    init(id: String, recorded: String) {
        let packed = id.withUTF8Buffer { id in recorded.withUTF8Buffer { Self.packing(id: id, recorded: $0) } }
        self = packed ?? EventTexts(unusual: Unusual(id: id, recorded: recorded))
    }

    /// The texts read in place from stored `id` and `recorded` strings (a non-string as empty text).
    init(id: borrowing JSONNode, recorded: borrowing JSONNode) {
        let packed =
            id.withUnescapedUTF8 { id in recorded.withUnescapedUTF8 { Self.packing(id: id, recorded: $0) } ?? nil }
            ?? nil
        self =
            packed
            ?? EventTexts(unusual: Unusual(id: id.stringValue ?? "", recorded: recorded.stringValue ?? ""))
    }

    private init(unusual: Unusual) {
        self.unusual = unusual
    }

    private init(packedID: EventID, packedRecorded: PackedTimestamp) {
        self.packedID = packedID
        self.packedRecorded = packedRecorded
    }

    private static func packing(id: UnsafeBufferPointer<UInt8>, recorded: UnsafeBufferPointer<UInt8>) -> EventTexts? {
        guard let packedID = EventID(canonical: id), let packedRecorded = PackedTimestamp(utf8: recorded) else {
            return nil
        }
        return EventTexts(packedID: packedID, packedRecorded: packedRecorded)
    }

    /// The event id: a lowercase UUID text.
    var id: String {
        get { unusual?.id ?? packedID.description }
        set { self = EventTexts(id: newValue, recorded: recorded) }
    }

    /// When the log recorded the event: RFC 3339 UTC with microseconds.
    var recorded: String {
        get { unusual?.recorded ?? packedRecorded.text }
        set { self = EventTexts(id: id, recorded: newValue) }
    }

    /// The month the log recorded the event (the first 7 characters of `recorded`).
    var recordedPeriod: Period? {
        guard unusual == nil else { return Period(String(recorded.prefix(7))) }
        return Period(year: packedRecorded.year, month: packedRecorded.month)
    }

    /// Texts that do not pack.
    private final class Unusual: Sendable, Hashable {
        let id: String
        let recorded: String

        init(id: String, recorded: String) {
            self.id = id
            self.recorded = recorded
        }

        static func == (left: Unusual, right: Unusual) -> Bool {
            left.id == right.id && left.recorded == right.recorded
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(id)
            hasher.combine(recorded)
        }
    }
}
