import LedgerJSON

/// The payment terms the scenario chose for a contract, and what they pay (reckoned here, not by the projections).
struct ContractTerms {
    var model: String
    var outcomes: [String]
    var unitRatePence: Int64 = 0
    /// Core per month with delivery: outcome-based `corePence`, or blended `P x (10000 - r) / 10000`.
    var corePence: Int64 = 0
    var tariff: [Int64] = []
    var periodPricePence: Int64 = 0
    var atRiskBp: Int64 = 0
    var weights: [Int64] = []
    var partialFactorBp: Int64?
    /// An outcome-based contract's per-period cap on outcome money.
    var capPence: Int64?
    /// A reward for quality, when the contract pays one.
    var quality: Quality?
    /// A population outcome (an outcome-based contract's): admissions avoided below a baseline, at a rate per
    /// admission, up to an optional maximum.
    var population: (baseline: Int64, ratePence: Int64, maxPence: Int64?)?

    /// A reward for quality: by the doer's rating (one that never changes, given here), or by a monthly score.
    enum Quality {
        case rating(String)
        case score

        /// The uplift (or, below 0, reduction) for a rating.
        static let ratingBands: [(rating: String, bp: Int64)] = [
            ("outstanding", 300), ("good", 100), ("requires-improvement", -500), ("inadequate", -1000),
        ]
        /// The uplift (or reduction) from each score up.
        static let scoreBands: [(from: Int64, bp: Int64)] = [(0, -500), (5000, 0), (8000, 250)]

        /// Whether the reward reads the doer's rating.
        var isByRating: Bool {
            guard case .rating = self else { return false }
            return true
        }

        /// The adjustment for `score` (or for the rating), nil when no band applies.
        func adjustmentBp(score: Int64) -> Int64? {
            switch self {
            case .rating(let rating): Self.ratingBands.first { $0.rating == rating }?.bp
            case .score: Self.scoreBands.last { $0.from <= score }?.bp
            }
        }

        var json: JSONValue {
            func line(_ bp: Int64) -> (String, JSONValue) {
                bp < 0 ? ("reductionBp", .number(JSONNumber(-bp))) : ("upliftBp", .number(JSONNumber(bp)))
            }
            switch self {
            case .rating:
                return [
                    "ratings": .array(
                        Self.ratingBands.map { band in
                            let (key, value) = line(band.bp)
                            return .object(["rating": .string(band.rating), key: value])
                        }
                    )
                ]
            case .score:
                return [
                    "scores": .array(
                        Self.scoreBands.map { band in
                            let (key, value) = line(band.bp)
                            return .object(["from": .number(JSONNumber(band.from)), key: value])
                        }
                    )
                ]
            }
        }
    }

    init(random: inout ScenarioRandom, outcomes: [String], pricePence: Int64) {
        self.outcomes = outcomes
        model = random.weighted([("task-and-time", 40), ("outcome-based", 30), ("blended", 30)])
        switch model {
        case "task-and-time":
            unitRatePence = Int64(random.int(1800...3200))
        case "outcome-based":
            corePence = random.chance(60) ? Int64(random.int(200...600)) * 100 : 0
            tariff = outcomes.map { _ in Int64(random.int(50...400)) * 100 + Int64(random.int(0...99)) }
            partialFactorBp = random.chance(70) ? Int64(random.pick([3333, 5000, 6667])) : nil
            if random.chance(20) { capPence = tariff.reduce(0, +) * 3 / 4 }
            if random.chance(20) {
                let rate = Int64(random.int(50...300)) * 100
                population = (Int64(random.int(80...200)), rate, random.chance(50) ? rate * 40 : nil)
            }
        default:
            periodPricePence = pricePence + Int64(random.int(0...99))
            atRiskBp = Int64(random.pick([1000, 2000, 2500, 3000, 3333]))
            weights = Population.split(10_000, into: outcomes.count).map(Int64.init)
            partialFactorBp = 5000
            corePence = Money.basisPoints(periodPricePence, 10_000 - atRiskBp)
        }
    }

    /// What a verified measurement of `outcome` with `attainment` pays.
    func payable(_ outcome: String, attainment: String) -> Int64 {
        guard let index = outcomes.firstIndex(of: outcome) else { return 0 }
        let factor: Int64 =
            switch attainment {
            case "achieved": 10_000
            case "partial": partialFactorBp ?? 0
            default: 0
            }
        if model == "blended" {
            return Money.halfUp(
                Int128(periodPricePence) * Int128(atRiskBp) * Int128(weights[index]) * Int128(factor),
                1_000_000_000_000
            )
        }
        return Money.basisPoints(tariff[index], factor)
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["model": .string(model)]
        switch model {
        case "task-and-time":
            object["unitRatePence"] = .number(JSONNumber(unitRatePence))
        case "outcome-based":
            if corePence > 0 { object["corePence"] = .number(JSONNumber(corePence)) }
            object["tariff"] = .array(
                zip(outcomes, tariff).map { ["outcome": .string($0), "amountPence": .number(JSONNumber($1))] }
            )
            if let capPence { object["caps"] = ["perPeriodPence": .number(JSONNumber(capPence))] }
            if let population {
                var terms: [String: JSONValue] = [
                    "measure": "unplanned-admissions", "direction": "decrease",
                    "baseline": .number(JSONNumber(population.baseline)),
                    "ratePence": .number(JSONNumber(population.ratePence)),
                ]
                if let maximum = population.maxPence { terms["maxPence"] = .number(JSONNumber(maximum)) }
                object["population"] = [.object(terms)]
            }
        default:
            object["periodPricePence"] = .number(JSONNumber(periodPricePence))
            object["atRiskBp"] = .number(JSONNumber(atRiskBp))
            object["weights"] = .array(
                zip(outcomes, weights).map { ["outcome": .string($0), "weightBp": .number(JSONNumber($1))] }
            )
        }
        if let partialFactorBp { object["partialFactorBp"] = .number(JSONNumber(partialFactorBp)) }
        if let quality { object["quality"] = quality.json }
        return .object(object)
    }
}

/// The scenario's own money arithmetic (independent of the projections' code): exact, rounded half-up once.
enum Money {
    static func halfUp(_ numerator: Int128, _ denominator: Int128) -> Int64 {
        let rounded = (numerator.magnitude + denominator.magnitude / 2) / denominator.magnitude
        return numerator < 0 ? -Int64(rounded) : Int64(rounded)
    }

    static func basisPoints(_ amount: Int64, _ bp: Int64) -> Int64 { halfUp(Int128(amount) * Int128(bp), 10_000) }

    /// `amount` shared by `weights` as events.md's "Handover" says: each share after the first rounded half-up, the
    /// first the rest.
    static func shares(_ amount: Int64, _ weights: [Int64]) -> [Int64] {
        let total = Int128(weights.reduce(0, +))
        let later = weights.dropFirst().map { halfUp(Int128(amount) * Int128($0), total) }
        return [amount - later.reduce(0, +)] + later
    }
}
