import LedgerJSON
import LedgerWire

/// `outcome-verified`, `outcome-rejected` or `outcome-verification-withdrawn`: a decision on a measurement's
/// evidence, referencing the measurement event by id.
struct VerificationDecision: Sendable, Equatable {
    enum Kind: String, Sendable {
        case verified = "outcome-verified"
        case rejected = "outcome-rejected"
        case withdrawn = "outcome-verification-withdrawn"
    }

    /// The measurement's event id, packed (a million facts hold many of these).
    private var packedMeasurement: EventID
    var kind: Kind
    var by: String?
    var reason: String?

    /// The measurement's event id.
    var measurement: String { packedMeasurement.description }

    init(_ kind: Kind, _ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        self.kind = kind
        packedMeasurement = try data.packedEventID("measurement")
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
