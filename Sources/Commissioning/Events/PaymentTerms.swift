import LedgerJSON

/// How a contract pays: the payment model with its rates, tariff or weights, partial credit and caps.
struct PaymentTerms: Sendable, Equatable {
    /// An amount paid for an outcome (outcome-based model).
    struct TariffLine: Sendable, Equatable {
        var outcome: String
        var amountPence: Int64
    }

    /// An outcome's share of the at-risk pool (blended model).
    struct Weight: Sendable, Equatable {
        var outcome: String
        var weightBp: Int64
    }

    /// Linear partial credit for an outcome measured by value: 0 below `low`, in full at or above `high`.
    struct Linear: Sendable, Equatable {
        var outcome: String
        var low: Int64
        var high: Int64
    }

    /// Limits on outcome payments.
    struct Caps: Sendable, Equatable {
        var perPeriodPence: Int64?
        var perPersonPence: Int64?
        var lifetimePence: Int64?
    }

    var model: PaymentModel
    var unitRatePence: Int64?
    var corePence: Int64?
    var tariff: [TariffLine]?
    var periodPricePence: Int64?
    var atRiskBp: Int64?
    var weights: [Weight]?
    var partialFactorBp: Int64?
    var linear: [Linear]?
    var caps: Caps?
    var quality: QualityTerms?
    var population: [PopulationTerms]?

    static let fields: JSONKeys = [
        "model", "unitRatePence", "corePence", "tariff", "periodPricePence", "atRiskBp", "weights", "partialFactorBp",
        "linear", "caps", "quality", "population",
    ]
    static let tariffFields: JSONKeys = ["outcome", "amountPence"]
    static let weightFields: JSONKeys = ["outcome", "weightBp"]
    static let linearFields: JSONKeys = ["outcome", "low", "high"]
    static let capFields: JSONKeys = ["perPeriodPence", "perPersonPence", "lifetimePence"]

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        model = try data.choice("model")
        if let quality = try data.optionalObject("quality", known: QualityTerms.fields) {
            self.quality = try QualityTerms(quality)
        }
        switch model {
        case .taskAndTime:
            for key in [
                "corePence", "tariff", "periodPricePence", "atRiskBp", "weights", "partialFactorBp", "linear", "caps",
                "population",
            ] {
                try data.forbid(key, "is not used by the task-and-time model")
            }
            unitRatePence = try data.pence("unitRatePence")
        case .outcomeBased:
            for key in ["unitRatePence", "periodPricePence", "atRiskBp", "weights"] {
                try data.forbid(key, "is not used by the outcome-based model")
            }
            if data.has("population") {
                let population = try data.objects("population", known: PopulationTerms.fields) {
                    (terms) throws(InvalidEvent) in try PopulationTerms(terms)
                }
                try Self.checkOutcomes(population.map(\.measure), key: "population", data, member: "measure")
                self.population = population
            }
            corePence = try data.optionalPence("corePence")
            tariff = try data.objects("tariff", known: Self.tariffFields) { (line) throws(InvalidEvent) in
                TariffLine(outcome: try line.identifier("outcome"), amountPence: try line.pence("amountPence"))
            }
            try Self.checkOutcomes(tariff?.map(\.outcome) ?? [], key: "tariff", data)
        case .blended:
            for key in ["unitRatePence", "corePence", "tariff", "population"] {
                try data.forbid(key, "is not used by the blended model")
            }
            periodPricePence = try data.pence("periodPricePence")
            atRiskBp = try data.basisPoints("atRiskBp")
            let weights = try data.objects("weights", known: Self.weightFields) { (weight) throws(InvalidEvent) in
                Weight(outcome: try weight.identifier("outcome"), weightBp: try weight.basisPoints("weightBp"))
            }
            try Self.checkOutcomes(weights.map(\.outcome), key: "weights", data)
            guard weights.reduce(0, { $0 + $1.weightBp }) == 10_000 else {
                throw InvalidEvent(field: data.field("weights"), message: "weightBp must sum to 10000")
            }
            self.weights = weights
        }
        guard model != .taskAndTime else { return }
        partialFactorBp = try data.optionalBasisPoints("partialFactorBp")
        if data.has("linear") {
            let outcomes = tariff?.map(\.outcome) ?? weights?.map(\.outcome) ?? []
            linear = try data.objects("linear", known: Self.linearFields) { (line) throws(InvalidEvent) in
                let outcome = try line.identifier("outcome")
                guard outcomes.contains(outcome) else {
                    throw InvalidEvent(
                        field: line.field("outcome"),
                        message: "is not an outcome this contract pays for"
                    )
                }
                let low = try line.integer("low", in: Int64.min...Int64.max)
                let high = try line.integer("high", in: Int64.min...Int64.max)
                guard low < high else { throw InvalidEvent(field: line.field("high"), message: "must exceed low") }
                return Linear(outcome: outcome, low: low, high: high)
            }
            try Self.checkOutcomes(linear?.map(\.outcome) ?? [], key: "linear", data, allowEmpty: true)
        }
        if let caps = try data.optionalObject("caps", known: Self.capFields) {
            self.caps = Caps(
                perPeriodPence: try caps.optionalPence("perPeriodPence"),
                perPersonPence: try caps.optionalPence("perPersonPence"),
                lifetimePence: try caps.optionalPence("lifetimePence")
            )
        }
    }

    private static func checkOutcomes(
        _ outcomes: [String],
        key: String,
        _ data: FieldReader<some JSONReadable>,
        allowEmpty: Bool = false,
        member: String = "outcome"
    ) throws(InvalidEvent) {
        guard allowEmpty || !outcomes.isEmpty else {
            throw InvalidEvent(field: data.field(key), message: "must not be empty")
        }
        var seen = Set<String>()
        for (index, outcome) in outcomes.enumerated() where !seen.insert(outcome).inserted {
            throw InvalidEvent(field: "\(data.field(key))[\(index)].\(member)", message: "is repeated")
        }
    }

    /// The outcomes this contract pays for.
    var outcomes: [String] { tariff?.map(\.outcome) ?? weights?.map(\.outcome) ?? [] }

    var json: JSONValue {
        var object: [String: JSONValue] = ["model": .string(model.rawValue)]
        object.set("unitRatePence", unitRatePence.map { .int($0) })
        object.set("corePence", corePence.map { .int($0) })
        object.set(
            "tariff",
            tariff.map { .array($0.map { ["outcome": .string($0.outcome), "amountPence": .int($0.amountPence)] }) }
        )
        object.set("periodPricePence", periodPricePence.map { .int($0) })
        object.set("atRiskBp", atRiskBp.map { .int($0) })
        object.set(
            "weights",
            weights.map { .array($0.map { ["outcome": .string($0.outcome), "weightBp": .int($0.weightBp)] }) }
        )
        object.set("partialFactorBp", partialFactorBp.map { .int($0) })
        object.set(
            "linear",
            linear.map {
                .array($0.map { ["outcome": .string($0.outcome), "low": .int($0.low), "high": .int($0.high)] })
            }
        )
        if let caps {
            var limits: [String: JSONValue] = [:]
            limits.set("perPeriodPence", caps.perPeriodPence.map { .int($0) })
            limits.set("perPersonPence", caps.perPersonPence.map { .int($0) })
            limits.set("lifetimePence", caps.lifetimePence.map { .int($0) })
            object["caps"] = .object(limits)
        }
        object.set("quality", quality?.json)
        object.set("population", population.map { .array($0.map(\.json)) })
        return .object(object)
    }
}
