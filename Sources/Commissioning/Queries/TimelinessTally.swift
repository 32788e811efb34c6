import LedgerJSON

/// How promptly periods were paid, at both tiers.
struct TimelinessTally {
    var onTime: Int64 = 0
    var late: Int64 = 0
    var overdue: Int64 = 0
    var memberOnTime: Int64 = 0
    var memberLate: Int64 = 0

    mutating func add(_ settlement: PeriodSettlement, today: Day?) {
        if settlement.due > 0 {
            if let paidOn = settlement.paidOn {
                if paidOn > settlement.dueOn { late += 1 } else { onTime += 1 }
            } else if settlement.isLate(today: today) {
                overdue += 1
            }
        }
        for passThrough in settlement.passThroughs where passThrough.duePence > 0 {
            if passThrough.isLate(dueOn: settlement.dueOn, today: today) {
                memberLate += 1
            } else if passThrough.paidOn != nil {
                memberOnTime += 1
            }
        }
    }

    var json: JSONValue {
        [
            "paidOnTime": .int(onTime), "paidLate": .int(late), "overdueUnpaid": .int(overdue),
            "memberPaidOnTime": .int(memberOnTime), "memberLateOrOverdue": .int(memberLate),
        ]
    }
}
