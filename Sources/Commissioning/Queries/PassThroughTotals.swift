import LedgerJSON

/// Sums of a consortium member's pass-through amounts.
struct PassThroughTotals {
    var earned: Int64 = 0
    var fees: Int64 = 0
    var adjustments: Int64 = 0
    var due: Int64 = 0
    var paid: Int64 = 0
    var refunded: Int64 = 0
    var balances = Balances()
    var periods = 0
    var late = 0

    mutating func add(_ passThrough: PeriodSettlement.PassThrough, late isLate: Bool) {
        earned = PenceMath.add(earned, passThrough.earnedPence)
        fees = PenceMath.add(fees, passThrough.feePence)
        adjustments = PenceMath.add(adjustments, passThrough.adjustmentsPence)
        due = PenceMath.add(due, passThrough.duePence)
        paid = PenceMath.add(paid, passThrough.paidPence)
        refunded = PenceMath.add(refunded, passThrough.refundedPence)
        balances.add(passThrough.outstandingPence)
        periods += 1
        if isLate { late += 1 }
    }

    var json: JSONValue {
        [
            "earned": .int(earned), "fees": .int(fees), "adjustments": .int(adjustments), "due": .int(due),
            "paid": .int(paid), "refunded": .int(refunded), "outstanding": .int(balances.outstanding),
            "credit": .int(balances.credit),
            "periods": .int(periods), "latePeriods": .int(late),
        ]
    }
}
