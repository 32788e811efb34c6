import LedgerJSON

/// `offers-evaluated`: quality and price scores combined by the published weighting, and the resulting ranking.
struct Evaluation: Sendable, Equatable {
    struct Score: Sendable, Equatable {
        var offer: String
        var qualityScore: Int64
        var priceScore: Int64
    }

    var qualityBp: Int64
    var priceBp: Int64
    var scores: [Score]
    var ranking: [String]

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        let weighting = try data.object("weighting", known: Self.weightingFields)
        qualityBp = try weighting.basisPoints("qualityBp")
        priceBp = try weighting.basisPoints("priceBp")
        guard qualityBp + priceBp == 10_000 else {
            throw InvalidEvent(field: data.field("weighting"), message: "qualityBp and priceBp must sum to 10000")
        }
        scores = try data.objects("scores", known: Self.scoreFields) {
            (score) throws(InvalidEvent) in
            Score(
                offer: try score.identifier("offerId"),
                qualityScore: try score.basisPoints("qualityScore"),
                priceScore: try score.basisPoints("priceScore")
            )
        }
        guard !scores.isEmpty else { throw InvalidEvent(field: data.field("scores"), message: "must not be empty") }
        ranking = try data.identifiers("ranking")
        try checkRanking(data)
    }

    static let fields: JSONKeys = ["weighting", "scores", "ranking"]
    static let weightingFields: JSONKeys = ["qualityBp", "priceBp"]
    static let scoreFields: JSONKeys = ["offerId", "qualityScore", "priceScore"]

    /// The combined score of `score` in basis points, rounded half-up.
    func combined(_ score: Score) -> Int64 {
        PenceMath.divideRoundingHalfUp(
            Int128(score.qualityScore) * Int128(qualityBp) + Int128(score.priceScore) * Int128(priceBp),
            by: 10_000
        )
    }

    /// The 1-based rank of `offer`, or nil when it was not ranked.
    func rank(of offer: String) -> Int? { ranking.firstIndex(of: offer).map { $0 + 1 } }

    private func checkRanking(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        var byOffer = [String: Score]()
        for (index, score) in scores.enumerated() {
            guard byOffer.updateValue(score, forKey: score.offer) == nil else {
                throw InvalidEvent(field: "\(data.field("scores"))[\(index)].offer", message: "is repeated")
            }
        }
        guard ranking.count == scores.count, ranking.allSatisfy({ byOffer[$0] != nil }) else {
            throw InvalidEvent(field: data.field("ranking"), message: "must list every scored offer exactly once")
        }
        var previous = Int64.max
        for (index, offer) in ranking.enumerated() {
            guard let score = byOffer[offer] else { continue }
            let value = combined(score)
            guard value <= previous else {
                throw InvalidEvent(
                    field: "\(data.field("ranking"))[\(index)]",
                    message: "ranks an offer above one with a lower combined score"
                )
            }
            previous = value
        }
    }

    var json: JSONValue {
        [
            "weighting": ["qualityBp": .int(qualityBp), "priceBp": .int(priceBp)],
            "scores": .array(
                scores.map {
                    [
                        "offerId": .string($0.offer), "qualityScore": .int($0.qualityScore),
                        "priceScore": .int($0.priceScore),
                    ]
                }
            ),
            "ranking": .strings(ranking),
        ]
    }
}
