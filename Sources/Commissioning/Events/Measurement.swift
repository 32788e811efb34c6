import LedgerJSON

/// `outcome-measured`: how far an outcome was attained in a period, with evidence. A later measurement of the same
/// outcome, period and case supersedes an earlier one.
struct Measurement: Sendable, Equatable {
    /// A licensed instrument's score is stored opaquely with its name and version.
    struct Instrument: Sendable, Equatable {
        var name: String
        var version: String
    }

    // Declared largest first, so that no padding lies between the fields (a million facts hold many of these).
    var outcome: String
    var evidenceRef: String
    /// The case the outcome is for, when the contract serves more than one.
    var caseID: String?
    var instrument: Instrument?
    /// The measured value, for outcomes with linear partial credit.
    var value: Int64?
    var attainment: Attainment?
    var period: Period

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        outcome = try data.identifier("outcome")
        attainment = try data.optionalChoice("attainment")
        value = try data.optionalInteger("value", in: Int64.min...Int64.max)
        switch (attainment, value) {
        case (nil, nil): throw InvalidEvent(field: data.field("attainment"), message: "is required (or value)")
        case (_?, _?): throw InvalidEvent(field: data.field("value"), message: "give attainment or value, not both")
        default: break
        }
        evidenceRef = try data.identifier("evidenceRef")
        if let instrument = try data.optionalObject("instrument", known: Self.instrumentFields) {
            self.instrument = Instrument(name: try instrument.text("name"), version: try instrument.text("version"))
        }
        caseID = try data.optionalIdentifier("case")
    }

    static let fields: JSONKeys = ["period", "outcome", "attainment", "value", "evidenceRef", "instrument", "case"]
    static let instrumentFields: JSONKeys = ["name", "version"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "outcome": .string(outcome), "evidenceRef": .string(evidenceRef),
        ]
        object.set("attainment", attainment.map { .string($0.rawValue) })
        object.set("value", value.map { .int($0) })
        object.set("instrument", instrument.map { ["name": .string($0.name), "version": .string($0.version)] })
        object.set("case", caseID.map { .string($0) })
        return .object(object)
    }
}
