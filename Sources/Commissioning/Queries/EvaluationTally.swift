import LedgerJSON

/// Sums of a provider's evaluation scores.
struct EvaluationTally {
    var count: Int64 = 0
    var quality: Int64 = 0
    var price: Int64 = 0
    var combined: Int64 = 0
    var topRanked: Int64 = 0
    var selected: Int64 = 0

    mutating func add(_ score: Evaluation.Score, combined value: Int64, rank: Int, selected wasSelected: Bool) {
        count += 1
        quality += score.qualityScore
        price += score.priceScore
        combined += value
        if rank == 1 { topRanked += 1 }
        if wasSelected { selected += 1 }
    }

    private func average(_ total: Int64) -> JSONValue {
        count == 0 ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(total), by: Int128(count)))
    }

    var json: JSONValue {
        [
            "count": .int(count), "averageQualityScore": average(quality), "averagePriceScore": average(price),
            "averageCombinedScore": average(combined), "topRanked": .int(topRanked), "selected": .int(selected),
        ]
    }
}
