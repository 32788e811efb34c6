import LedgerJSON

/// Sums of period settlements.
struct PaymentTotals {
    var core: Int64 = 0
    var outcome: Int64 = 0
    var taskAndTime: Int64 = 0
    var quality: Int64 = 0
    var adjustments: Int64 = 0
    var approved: Int64 = 0
    var paid: Int64 = 0
    var refunded: Int64 = 0
    var balances = Balances()
    var withheld: Int64 = 0
    var periods = 0
    var late = 0

    var due: Int64 {
        PenceMath.add(PenceMath.add(PenceMath.add(core, outcome), PenceMath.add(taskAndTime, quality)), adjustments)
    }

    mutating func add(_ settlement: some SettlementFigures, today: Day?) {
        core = PenceMath.add(core, settlement.core)
        outcome = PenceMath.add(outcome, settlement.outcome)
        taskAndTime = PenceMath.add(taskAndTime, settlement.taskAndTime)
        quality = PenceMath.add(quality, settlement.quality)
        adjustments = PenceMath.add(adjustments, settlement.adjustments)
        approved = PenceMath.add(approved, settlement.approved)
        paid = PenceMath.add(paid, settlement.paid)
        refunded = PenceMath.add(refunded, settlement.refunded)
        balances.add(settlement.outstanding)
        withheld = PenceMath.add(withheld, settlement.withheldTotal)
        periods += 1
        if settlement.isLate(today: today) { late += 1 }
    }

    var json: JSONValue {
        [
            "due": [
                "core": .int(core), "outcome": .int(outcome), "taskAndTime": .int(taskAndTime),
                "quality": .int(quality), "adjustments": .int(adjustments), "total": .int(due),
            ],
            "approved": .int(approved), "paid": .int(paid), "refunded": .int(refunded),
            "outstanding": .int(balances.outstanding), "credit": .int(balances.credit),
            "withheld": .int(withheld), "periods": .int(periods), "latePeriods": .int(late),
        ]
    }
}
