import LedgerJSON

/// Sums of a provider's evaluation scores.
struct EvaluationTally: FigureTally, Sendable, Equatable {
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

    static let figureCount = 6

    var figures: [Int64] { [count, quality, price, combined, topRanked, selected] }

    init?(figures: [Int64]) {
        guard figures.count == Self.figureCount else { return nil }
        (count, quality, price, combined, topRanked, selected) =
            (figures[0], figures[1], figures[2], figures[3], figures[4], figures[5])
    }

    init() {}

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
