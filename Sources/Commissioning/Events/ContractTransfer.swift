import LedgerJSON

/// `contract-transferred`: the contract, with the people it serves and their outcomes, moves to another provider from
/// a day on, because its holder failed, handed it back or the commissioner decided so.
struct ContractTransfer: Sendable, Equatable {
    var on: Day
    var provider: String
    var reason: TransferReason
    var note: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        on = try data.day("on")
        provider = try data.identifier("provider")
        reason = try data.choice("reason")
        note = try data.optionalText("note")
    }

    static let fields: JSONKeys = ["on", "provider", "reason", "note"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "on": .string(on.text), "provider": .string(provider), "reason": .string(reason.rawValue),
        ]
        object.set("note", note.map { .string($0) })
        return .object(object)
    }
}
