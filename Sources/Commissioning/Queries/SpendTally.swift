import LedgerJSON

/// Spend by contract holder, with the SME and consortium parts and the Herfindahl-Hirschman index.
struct SpendTally {
    var total: Int64 = 0
    var sme: Int64 = 0
    var viaConsortia: Int64 = 0
    var byHolder: [String: Int64] = [:]

    mutating func add(_ amount: Int64, holder: Supplier, sme isSME: Bool) {
        total = PenceMath.add(total, amount)
        if isSME { sme = PenceMath.add(sme, amount) }
        if case .consortium = holder { viaConsortia = PenceMath.add(viaConsortia, amount) }
        byHolder[holder.stream] = PenceMath.add(byHolder[holder.stream] ?? 0, amount)
    }

    func share(_ part: Int64) -> JSONValue { Projections.rate(part, of: total) }

    /// The sum of squared market shares (in percent), from 0 to 10000: each share is taken to 10^-8 (rounded
    /// half-up), so the products stay within 128 bits for any amounts, and the sum is rounded half-up once.
    var hhi: Int64 {
        guard total > 0 else { return 0 }
        let squares = byHolder.values.reduce(Int128(0)) { sum, spend in
            let share = Int128(PenceMath.divideRoundingHalfUp(Int128(max(spend, 0)) * 100_000_000, by: Int128(total)))
            return sum + share * share
        }
        return PenceMath.divideRoundingHalfUp(squares, by: 1_000_000_000_000)
    }

    var rows: [JSONValue] {
        byHolder.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
        }
        .map { ["supplier": .string($0.key), "spendPence": .int($0.value), "shareBp": share($0.value)] }
    }
}
