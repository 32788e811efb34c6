import LedgerJSON

/// A population outcome an outcome-based contract pays for: a rate per unit of improvement on a measure taken over a
/// cohort or locality (for example unplanned admissions across a neighbourhood) against a baseline, or against a
/// comparison group measured in the same period, up to a maximum over the contract's life.
struct PopulationTerms: Sendable, Equatable {
    /// Which way the measure improves.
    enum Direction: String, Sendable, CaseIterable {
        /// Fewer is better (admissions, falls).
        case decrease
        /// More is better (people in work, days at home).
        case increase
    }

    /// The largest magnitude a baseline or a measured value may have: improvements and their products stay exact.
    static let valueLimit: Int64 = 1_000_000_000_000

    var measure: String
    var direction: Direction
    var baseline: Int64
    var ratePence: Int64
    var maxPence: Int64?

    static let fields: JSONKeys = ["measure", "direction", "baseline", "ratePence", "maxPence"]

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        measure = try data.identifier("measure")
        direction = try data.choice("direction")
        baseline = try data.integer("baseline", in: -Self.valueLimit...Self.valueLimit)
        ratePence = try data.pence("ratePence")
        maxPence = try data.optionalPence("maxPence")
    }

    /// The units of improvement of `value` over the baseline (or over `comparison`, when given); 0 when none.
    func improvement(value: Int64, comparison: Int64?) -> Int64 {
        let reference = comparison ?? baseline
        // Both within `valueLimit`, so the difference cannot overflow.
        return max(0, direction == .decrease ? reference - value : value - reference)
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "measure": .string(measure), "direction": .string(direction.rawValue), "baseline": .int(baseline),
            "ratePence": .int(ratePence),
        ]
        object.set("maxPence", maxPence.map { .int($0) })
        return .object(object)
    }
}
