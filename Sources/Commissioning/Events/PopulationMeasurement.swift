import LedgerJSON

/// `population-outcome-measured`: a population measure taken over a cohort or locality in a period, with evidence,
/// and optionally a comparison group's value in the same period. Verification events reference it by its event id,
/// as they do an `outcome-measured`. A later measurement of the same measure, cohort and period supersedes an
/// earlier one.
struct PopulationMeasurement: Sendable, Equatable {
    var period: Period
    var measure: String
    var cohort: String
    var value: Int64
    var comparison: Int64?
    var evidenceRef: String

    static let fields: JSONKeys = ["period", "measure", "cohort", "value", "comparison", "evidenceRef"]

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        let limit = PopulationTerms.valueLimit
        period = try data.period("period")
        measure = try data.identifier("measure")
        cohort = try data.identifier("cohort")
        value = try data.integer("value", in: -limit...limit)
        comparison = try data.optionalInteger("comparison", in: -limit...limit)
        evidenceRef = try data.identifier("evidenceRef")
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "measure": .string(measure), "cohort": .string(cohort),
            "value": .int(value), "evidenceRef": .string(evidenceRef),
        ]
        object.set("comparison", comparison.map { .int($0) })
        return .object(object)
    }
}
