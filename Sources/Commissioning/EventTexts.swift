import LedgerJSON

/// An event's id, recorded time and leaf hash, kept packed (`PackedText`) and inline: neither an event being folded
/// nor the fact it becomes allocates for them (as three strings they took about 250 bytes of heap per fact).
struct EventTexts: Sendable, Hashable {
    private var packedID: PackedText<TwoWords>
    private(set) var packedRecorded: PackedText<TwoWords>
    private var packedLeafHash: PackedText<FourWords>?

    init(id: String, recorded: String, leafHash: String?) {
        packedID = PackedText(id, shape: TextShape.uuid)
        packedRecorded = PackedText(recorded, shape: TextShape.timestamp)
        packedLeafHash = leafHash.map { PackedText($0, shape: TextShape.sha256) }
    }

    /// The texts read in place from stored `id` and `recorded` strings.
    init(id: JSONNode, recorded: JSONNode, leafHash: PackedText<FourWords>?) {
        packedID = PackedText(id, shape: TextShape.uuid)
        packedRecorded = PackedText(recorded, shape: TextShape.timestamp)
        packedLeafHash = leafHash
    }

    /// The event id: a lowercase UUID text.
    var id: String {
        get { packedID.text(shape: TextShape.uuid) }
        set { packedID = PackedText(newValue, shape: TextShape.uuid) }
    }

    /// When the log recorded the event: RFC 3339 UTC with microseconds.
    var recorded: String {
        get { packedRecorded.text(shape: TextShape.timestamp) }
        set { packedRecorded = PackedText(newValue, shape: TextShape.timestamp) }
    }

    /// The event's Merkle leaf hash in hex, when known.
    var leafHash: String? {
        get { packedLeafHash?.text(shape: TextShape.sha256) }
        set { packedLeafHash = newValue.map { PackedText($0, shape: TextShape.sha256) } }
    }

    /// The month the log recorded the event (the first 7 characters of `recorded`).
    var recordedPeriod: Period? {
        guard let year = packedRecorded.decimal(digits: 0..<4), let month = packedRecorded.decimal(digits: 4..<6) else {
            return Period(String(recorded.prefix(7)))
        }
        return Period(year: year, month: month)
    }
}
