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

    /// The periods of `rows` (`payments` rows), in order.
    /// - Throws: a failure (exit 1) when a period's sum does not fit in 64 bits: no figure is printed wrong.
    static func periods(of rows: [JSONValue]) throws(CommandFailure) -> [PaymentPeriod] {
        var periods = [String: PaymentPeriod]()
        func add(_ sum: inout Int64, _ value: JSONValue?, _ figure: String) throws(CommandFailure) {
            let (total, overflow) = sum.addingReportingOverflow(value?.int64Value ?? 0)
            guard !overflow else { throw .refused("the sum of \(figure) in a period overflows 64-bit pence") }
            sum = total
        }
        for row in rows {
            guard let name = row["period"]?.stringValue else { continue }
            var period = periods[name] ?? PaymentPeriod(period: name)
            try add(&period.due, row["due"]?["total"], "due")
            try add(&period.paid, row["paid"], "paid")
            try add(&period.outstanding, row["outstanding"], "outstanding")
            try add(&period.withheld, row["withheldTotal"], "withheld")
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
