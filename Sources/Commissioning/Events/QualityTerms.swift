import LedgerJSON

/// A contract's reward for quality: a fee uplift (or reduction) by the rating of the provider doing the work, or by
/// the period's assessed quality score. It applies to the fee (core and task-and-time), never to outcome payments.
struct QualityTerms: Sendable, Equatable {
    /// What the adjustment follows.
    enum Basis: String, Sendable {
        /// The regulator rating in effect on the period's last day.
        case rating
        /// The period's latest `quality-assessed` score.
        case score
    }

    /// One rating's adjustment, or the adjustment from one score up.
    struct Band: Sendable, Equatable {
        var rating: Rating?
        var fromScore: Int64?
        /// Positive for an uplift, negative for a reduction.
        var adjustmentBp: Int64
    }

    var basis: Basis
    var bands: [Band]

    static let fields: JSONKeys = ["ratings", "scores"]
    static let ratingFields: JSONKeys = ["rating", "upliftBp", "reductionBp"]
    static let scoreFields: JSONKeys = ["from", "upliftBp", "reductionBp"]

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        switch (data.has("ratings"), data.has("scores")) {
        case (true, false):
            basis = .rating
            bands = try data.objects("ratings", known: Self.ratingFields) { (band) throws(InvalidEvent) in
                Band(rating: try band.choice("rating"), adjustmentBp: try Self.adjustment(band))
            }
        case (false, true):
            basis = .score
            bands = try data.objects("scores", known: Self.scoreFields) { (band) throws(InvalidEvent) in
                Band(fromScore: try band.basisPoints("from"), adjustmentBp: try Self.adjustment(band))
            }
        default:
            throw InvalidEvent(field: data.path, message: "give either ratings or scores")
        }
        let key = basis == .rating ? "ratings" : "scores"
        guard !bands.isEmpty else { throw InvalidEvent(field: data.field(key), message: "must not be empty") }
        var seen = Set<String>()
        for (index, band) in bands.enumerated()
        where !seen.insert(band.rating?.rawValue ?? String(band.fromScore ?? 0)).inserted {
            let member = basis == .rating ? "rating" : "from"
            throw InvalidEvent(field: "\(data.field(key))[\(index)].\(member)", message: "is repeated")
        }
    }

    /// Exactly one of `upliftBp` and `reductionBp`, as a signed adjustment.
    private static func adjustment(_ band: FieldReader<some JSONReadable>) throws(InvalidEvent) -> Int64 {
        switch (try band.optionalBasisPoints("upliftBp"), try band.optionalBasisPoints("reductionBp")) {
        case (let uplift?, nil): uplift
        case (nil, let reduction?): -reduction
        case (nil, nil): throw InvalidEvent(field: band.field("upliftBp"), message: "is required (or reductionBp)")
        case (_?, _?):
            throw InvalidEvent(
                field: band.field("reductionBp"),
                message: "give either upliftBp or reductionBp, not both"
            )
        }
    }

    /// The band for a provider rated `rating`, or for a period scored `score`: the rating's own band, or the band of
    /// the highest `from` not above the score. Nil when none applies.
    func band(rating: Rating?, score: Int64?) -> Band? {
        switch basis {
        case .rating: return rating.flatMap { rating in bands.first { $0.rating == rating } }
        case .score:
            guard let score else { return nil }
            return bands.filter { ($0.fromScore ?? 0) <= score }.max { ($0.fromScore ?? 0) < ($1.fromScore ?? 0) }
        }
    }

    var json: JSONValue {
        let lines: [JSONValue] = bands.map { band in
            var line: [String: JSONValue] = [
                // Bands hold -10000...10000 (basis points read as such), so the magnitude never traps.
                band.adjustmentBp < 0 ? "reductionBp" : "upliftBp": .int(abs(band.adjustmentBp))
            ]
            line.set("rating", band.rating.map { .string($0.rawValue) })
            line.set("from", band.fromScore.map { .int($0) })
            return .object(line)
        }
        return [basis == .rating ? "ratings" : "scores": .array(lines)]
    }
}
