/// Period balances summed apart by sign: what payers still owe, and what payees owe back.
struct Balances {
    /// The sum of the positive balances: still owed to payees.
    var outstanding: Int64 = 0
    /// The sum of the negative balances, as a positive amount: credits payees owe back.
    var credit: Int64 = 0

    mutating func add(_ balance: Int64) {
        if balance > 0 {
            outstanding = PenceMath.add(outstanding, balance)
        } else {
            credit = PenceMath.subtract(credit, balance)
        }
    }
}
