import LedgerJSON

/// Sums of a consortium member's pass-through amounts.
struct PassThroughTotals {
    var earned: Int64 = 0
    var fees: Int64 = 0
    var due: Int64 = 0
    var paid: Int64 = 0
    var periods = 0
    var late = 0

    mutating func add(_ passThrough: PeriodSettlement.PassThrough, late isLate: Bool) {
        earned = PenceMath.add(earned, passThrough.earnedPence)
        fees = PenceMath.add(fees, passThrough.feePence)
        due = PenceMath.add(due, passThrough.duePence)
        paid = PenceMath.add(paid, passThrough.paidPence)
        periods += 1
        if isLate { late += 1 }
    }

    var json: JSONValue {
        [
            "earned": .int(earned), "fees": .int(fees), "due": .int(due), "paid": .int(paid),
            "outstanding": .int(PenceMath.subtract(due, paid)), "periods": .int(periods), "latePeriods": .int(late),
        ]
    }
}
