import LedgerJSON

/// Where and when a fact was recorded, and by whom.
///
/// The id, recorded time and leaf hash are kept packed (`PackedText`), inline: a stamp then needs no allocation of its
/// own, where the three strings took about 250 bytes of heap per fact.
struct Stamp: Sendable, Equatable {
    var position: UInt64
    /// `meta.actor`, when given.
    var actor: String?
    private let packedID: PackedText<TwoWords>
    private let packedRecorded: PackedText<TwoWords>
    private let packedLeafHash: PackedText<FourWords>?

    init(position: UInt64, id: String, recorded: String, actor: String?, leafHash: String?) {
        self.position = position
        self.actor = actor
        packedID = PackedText(id, shape: TextShape.uuid)
        packedRecorded = PackedText(recorded, shape: TextShape.timestamp)
        packedLeafHash = leafHash.map { PackedText($0, shape: TextShape.sha256) }
    }

    var id: String { packedID.text(shape: TextShape.uuid) }
    var recorded: String { packedRecorded.text(shape: TextShape.timestamp) }
    var leafHash: String? { packedLeafHash?.text(shape: TextShape.sha256) }

    /// The month the log recorded it (the first 7 characters of `recorded`).
    var recordedPeriod: Period? {
        guard let year = packedRecorded.decimal(digits: 0..<4), let month = packedRecorded.decimal(digits: 4..<6) else {
            return Period(String(recorded.prefix(7)))
        }
        return Period(year: year, month: month)
    }

    /// The envelope fields as stored in the encoded state.
    func write(to object: inout [String: JSONValue]) {
        object["position"] = .int(Int64(clamping: position))
        object["id"] = .string(id)
        object["recorded"] = .string(recorded)
        object.set("actor", actor.map { .string($0) })
        object.set("leafHash", leafHash.map { .string($0) })
    }
}

/// A fact with its stamp.
struct Stamped<Value: Sendable & Equatable>: Sendable, Equatable {
    var stamp: Stamp
    var value: Value
}
