import LedgerJSON

/// One entry of a decision history: which event, when, who, what, on what basis, with which amounts.
struct AuditEntry {
    var stamp: Stamp
    var stream: String
    var type: String
    var who: String?
    var what: String
    var basis: String?
    var amountPence: Int64?
    var details: JSONValue
    var retractedBy: String?

    /// The entry as a row, with its event's `leafHash` when known.
    func json(leafHash: String?) -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(Int64(clamping: stamp.position)), "recorded": .string(stamp.recorded),
            "id": .string(stamp.id), "stream": .string(stream), "type": .string(type), "what": .string(what),
            "details": details, "retracted": .bool(retractedBy != nil),
        ]
        object.set("who", who.map { .string($0) })
        object.set("basis", basis.map { .string($0) })
        object.set("amountPence", amountPence.map { .int($0) })
        object.set("leafHash", leafHash.map { .string($0) })
        object.set("retractedBy", retractedBy.map { .string($0) })
        return .object(object)
    }
}
