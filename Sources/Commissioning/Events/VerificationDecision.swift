import LedgerJSON

/// `outcome-verified`, `outcome-rejected` or `outcome-verification-withdrawn`: a decision on a measurement's
/// evidence, referencing the measurement event by id.
struct VerificationDecision: Sendable, Equatable {
    enum Kind: String, Sendable {
        case verified = "outcome-verified"
        case rejected = "outcome-rejected"
        case withdrawn = "outcome-verification-withdrawn"
    }

    var kind: Kind
    var measurement: String
    var by: String?
    var reason: String?

    init(_ kind: Kind, _ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        self.kind = kind
        measurement = try data.eventID("measurement")
        by = try data.optionalIdentifier("by")
        reason = kind == .verified ? try data.optionalText("reason") : try data.text("reason")
    }

    static let fields: JSONKeys = ["measurement", "by", "reason"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["measurement": .string(measurement)]
        object.set("by", by.map { .string($0) })
        object.set("reason", reason.map { .string($0) })
        return .object(object)
    }
}
