import LedgerJSON

/// `contract-ended`: the contract stopped, when and why.
struct Ending: Sendable, Equatable {
    var endedOn: Day
    var reason: EndReason
    var note: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        endedOn = try data.day("endedOn")
        reason = try data.choice("reason")
        note = try data.optionalText("note")
    }

    static let fields: JSONKeys = ["endedOn", "reason", "note"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["endedOn": .string(endedOn.text), "reason": .string(reason.rawValue)]
        object.set("note", note.map { .string($0) })
        return .object(object)
    }
}
