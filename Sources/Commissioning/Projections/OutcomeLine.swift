/// The money for one measured outcome: its full amount, the attainment factor and what that factor pays.
struct OutcomeLine {
    /// `achieved`, `partial`, `not-achieved`, or `value` for linear partial credit.
    var attainment: String
    var factorBp: Int64
    var fullPence: Int64
    var payablePence: Int64

    init(terms: PaymentTerms, measurement: Measurement) {
        switch measurement.attainment {
        case .achieved?: (attainment, factorBp) = ("achieved", 10_000)
        case .partial?: (attainment, factorBp) = ("partial", terms.partialFactorBp ?? 0)
        case .notAchieved?: (attainment, factorBp) = ("not-achieved", 0)
        case nil:
            attainment = "value"
            let linear = terms.linear?.first { $0.outcome == measurement.outcome }
            factorBp = linear.map { Self.linearFactor(measurement.value ?? 0, $0) } ?? 0
        }
        if terms.model == .blended {
            let weight = terms.weights?.first { $0.outcome == measurement.outcome }?.weightBp ?? 0
            fullPence = Self.pool(terms, weight: weight, factor: 10_000)
            payablePence = Self.pool(terms, weight: weight, factor: factorBp)
        } else {
            fullPence = terms.tariff?.first { $0.outcome == measurement.outcome }?.amountPence ?? 0
            payablePence = PenceMath.basisPoints(fullPence, factorBp)
        }
    }

    /// An outcome's part of a blended contract's at-risk pool at `factor`: `P x r x weight x factor / 10^12`,
    /// rounded half-up once.
    static func pool(_ terms: PaymentTerms, weight: Int64, factor: Int64) -> Int64 {
        let product =
            Int128(terms.periodPricePence ?? 0) * Int128(terms.atRiskBp ?? 0) * Int128(weight) * Int128(factor)
        return PenceMath.divideRoundingHalfUp(product, by: 1_000_000_000_000)
    }

    /// Linear partial credit: 0 at or below `low`, 10000 at or above `high`, else `(value - low) / (high - low)` in
    /// basis points, rounded half-up.
    static func linearFactor(_ value: Int64, _ linear: PaymentTerms.Linear) -> Int64 {
        if value <= linear.low { return 0 }
        if value >= linear.high { return 10_000 }
        return PenceMath.divideRoundingHalfUp(
            (Int128(value) - Int128(linear.low)) * 10_000,
            by: Int128(linear.high) - Int128(linear.low)
        )
    }
}
