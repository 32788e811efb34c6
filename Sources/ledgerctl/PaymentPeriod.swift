import LedgerJSON

/// One period's payments summed over the rows of a `payments` answer, in pence.
struct PaymentPeriod {
    /// `YYYY-MM`.
    var period: String
    var due: Int64 = 0
    var paid: Int64 = 0
    var outstanding: Int64 = 0
    var withheld: Int64 = 0
    /// Why money was withheld: `outcome A not-achieved £300.51`, one per withholding.
    var reasons: [String] = []

    /// The periods of `rows` (`payments` rows), in order; sums wrap rather than trap on absurd figures.
    static func periods(of rows: [JSONValue]) -> [PaymentPeriod] {
        var periods = [String: PaymentPeriod]()
        for row in rows {
            guard let name = row["period"]?.stringValue else { continue }
            var period = periods[name] ?? PaymentPeriod(period: name)
            period.due &+= row["due"]?["total"]?.int64Value ?? 0
            period.paid &+= row["paid"]?.int64Value ?? 0
            period.outstanding &+= row["outstanding"]?.int64Value ?? 0
            period.withheld &+= row["withheldTotal"]?.int64Value ?? 0
            for withholding in row["withheld"]?.arrayValue ?? [] {
                let contract = row["contract"]?.stringValue.map { "\($0) " } ?? ""
                let outcome = withholding["outcome"]?.stringValue.map { "outcome \($0) " } ?? ""
                let amount = withholding["amountPence"]?.int64Value.map { " " + Format.pounds(pence: $0) } ?? ""
                period.reasons.append(contract + outcome + (withholding["reason"]?.stringValue ?? "?") + amount)
            }
            periods[name] = period
        }
        return periods.values.sorted { $0.period < $1.period }
    }
}
