import LedgerJSON

/// Where and when a fact was recorded, and by whom.
struct Stamp: Sendable, Equatable {
    var position: UInt64
    var id: String
    var recorded: String
    /// `meta.actor`, when given.
    var actor: String?
    var leafHash: String?

    /// The month the log recorded it (the first 7 characters of `recorded`).
    var recordedPeriod: Period? { Period(String(recorded.prefix(7))) }

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
