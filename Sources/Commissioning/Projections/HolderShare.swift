import LedgerJSON

/// One holder's share of a period of a contract that changed holder (`contract-transferred`): its part of what the
/// period earned, by the days it held the contract; its part of each recovery, by the days it held the period
/// recovered; and the payments, refunds and offsets that name it (or the period's last holder, naming none).
struct HolderShare: SettlementFigures, Sendable, Equatable {
    var holder: Supplier
    /// The days of the period it held the contract (0 for a holder owing only a recovery or settling a credit).
    var days: Int
    var period: Period
    var dueOn: Day
    var core: Int64 = 0
    var outcome: Int64 = 0
    var taskAndTime: Int64 = 0
    var quality: Int64 = 0
    var adjustments: Int64 = 0
    var approved: Int64 = 0
    var paid: Int64 = 0
    var refunded: Int64 = 0
    var withheldTotal: Int64 = 0
    var paidOn: Day?
    /// A share has no pass-through of its own: the row's is the consortium holder's.
    var passThrough: PeriodSettlement.PassThrough? { nil }

    init(holder: Supplier, days: Int, period: Period, dueOn: Day) {
        self.holder = holder
        self.days = days
        self.period = period
        self.dueOn = dueOn
    }

    /// The share as a row's `holders` lists it (no `late` flag: a row has only its own and its pass-through's).
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "days": .int(Int64(days)),
            "due": [
                "core": .int(core), "outcome": .int(outcome), "taskAndTime": .int(taskAndTime),
                "quality": .int(quality), "adjustments": .int(adjustments), "total": .int(due),
            ],
            "withheldTotal": .int(withheldTotal), "approved": .int(approved), "paid": .int(paid),
            "refunded": .int(refunded), "outstanding": .int(outstanding),
            "paidOn": paidOn.map { .string($0.text) } ?? .null,
        ]
        holder.write(to: &object)
        return .object(object)
    }
}
