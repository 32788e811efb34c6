/// The figures of one contract's settlement for one period that totals and lateness read: what `PeriodSettlement`
/// computes and what a stored `SettlementRow` keeps.
protocol SettlementFigures {
    var period: Period { get }
    var core: Int64 { get }
    var outcome: Int64 { get }
    var taskAndTime: Int64 { get }
    var quality: Int64 { get }
    var adjustments: Int64 { get }
    var approved: Int64 { get }
    var paid: Int64 { get }
    var refunded: Int64 { get }
    var withheldTotal: Int64 { get }
    /// The date of the payment that settled the period in full, when it has been.
    var paidOn: Day? { get }
    var dueOn: Day { get }
    var passThroughs: [PeriodSettlement.PassThrough] { get }
}

extension SettlementFigures {
    var due: Int64 {
        PenceMath.add(PenceMath.add(PenceMath.add(core, outcome), PenceMath.add(taskAndTime, quality)), adjustments)
    }
    /// What the payer still owes; negative when the payee owes money back (a credit).
    var outstanding: Int64 { PenceMath.add(PenceMath.subtract(due, paid), refunded) }

    /// Whether it was paid after its due date, or is unpaid with the due date before `today`. A credit is never late.
    func isLate(today: Day?) -> Bool {
        if let paidOn { return paidOn > dueOn }
        guard outstanding > 0, let today else { return false }
        return today > dueOn
    }

}
