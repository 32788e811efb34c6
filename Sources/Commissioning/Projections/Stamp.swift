import LedgerJSON

/// Where and when a fact was recorded, and by whom.
struct Stamp: Sendable, Equatable {
    var position: UInt64
    /// `meta.actor`, when given.
    var actor: String?
    /// The event's id and recorded time.
    let texts: EventTexts

    init(position: UInt64, texts: EventTexts, actor: String?) {
        self.position = position
        self.texts = texts
        self.actor = actor
    }

    var id: String { texts.id }
    var recorded: String { texts.recorded }
    /// The month the log recorded it.
    var recordedPeriod: Period? { texts.recordedPeriod }

    /// The envelope fields as stored in the encoded state.
    func write(to object: inout [String: JSONValue]) {
        object["position"] = .int(Int64(clamping: position))
        object["id"] = .string(id)
        object["recorded"] = .string(recorded)
        object.set("actor", actor.map { .string($0) })
    }
}

/// A fact with its stamp.
struct Stamped<Value: Sendable & Equatable>: Sendable, Equatable {
    var stamp: Stamp
    var value: Value
}
