import LedgerJSON

/// `quality-assessed`: a contract's quality score for a period (for example from a contract monitoring visit), on
/// which a reward for quality by score turns.
struct QualityAssessment: Sendable, Equatable {
    var period: Period
    var score: Int64
    var evidenceRef: String
    var by: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        score = try data.basisPoints("score")
        evidenceRef = try data.identifier("evidenceRef")
        by = try data.optionalIdentifier("by")
    }

    static let fields: JSONKeys = ["period", "score", "evidenceRef", "by"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "score": .int(score), "evidenceRef": .string(evidenceRef),
        ]
        object.set("by", by.map { .string($0) })
        return .object(object)
    }
}
