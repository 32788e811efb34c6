import LedgerJSON

/// `need-assessed`: a person's required outcomes and preferences. The person is a pseudonymous reference only.
struct NeedAssessment: Sendable, Equatable {
    var personRef: String
    var commissioner: String
    var outcomes: [OutcomeSpec]
    var preferences: [String]
    var service: String?
    var assessedOn: Day?

    init(_ data: FieldReader) throws(InvalidEvent) {
        personRef = try data.identifier("personRef")
        commissioner = try data.identifier("commissioner")
        outcomes = try OutcomeSpec.list("outcomes", in: data)
        preferences = try data.texts("preferences")
        service = try data.optionalIdentifier("service")
        assessedOn = try data.optionalDay("assessedOn")
    }

    static let fields = ["personRef", "commissioner", "outcomes", "preferences", "service", "assessedOn"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "personRef": .string(personRef), "commissioner": .string(commissioner),
            "outcomes": OutcomeSpec.json(outcomes), "preferences": .strings(preferences),
        ]
        object.set("service", service.map { .string($0) })
        object.set("assessedOn", assessedOn.map { .string($0.text) })
        return .object(object)
    }
}

/// `requirement-published`: a requirement sent to market with the outcomes and preferences, by a route.
struct RequirementPublication: Sendable, Equatable {
    var caseID: String
    var commissioner: String
    var outcomes: [OutcomeSpec]
    var preferences: [String]
    var route: Route
    var justification: String?
    var invited: [String]
    var invitedConsortia: [String]
    var service: String?

    init(_ data: FieldReader) throws(InvalidEvent) {
        caseID = try data.identifier("case")
        commissioner = try data.identifier("commissioner")
        outcomes = try OutcomeSpec.list("outcomes", in: data)
        preferences = try data.texts("preferences")
        route = try data.choice("route")
        justification = try data.optionalText("justification")
        if route.needsJustification, justification == nil {
            throw InvalidEvent(field: data.field("justification"), message: "is required for a \(route.rawValue)")
        }
        invited = data.has("invited") ? try data.identifiers("invited") : []
        invitedConsortia = data.has("invitedConsortia") ? try data.identifiers("invitedConsortia") : []
        if invited.isEmpty, invitedConsortia.isEmpty {
            throw InvalidEvent(field: data.field("invited"), message: "must name at least one provider or consortium")
        }
        service = try data.optionalIdentifier("service")
    }

    static let fields = [
        "case", "commissioner", "outcomes", "preferences", "route", "justification", "invited", "invitedConsortia",
        "service",
    ]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "case": .string(caseID), "commissioner": .string(commissioner), "outcomes": OutcomeSpec.json(outcomes),
            "preferences": .strings(preferences), "route": .string(route.rawValue),
        ]
        object.set("justification", justification.map { .string($0) })
        object.set("invited", invited.isEmpty ? nil : .strings(invited))
        object.set("invitedConsortia", invitedConsortia.isEmpty ? nil : .strings(invitedConsortia))
        object.set("service", service.map { .string($0) })
        return .object(object)
    }
}

/// Who holds an offer or a contract: a single provider or a consortium (through its integrator).
enum Supplier: Sendable, Hashable {
    case provider(String)
    case consortium(String)

    /// Reads exactly one of `provider` and `consortium`.
    init(_ data: FieldReader) throws(InvalidEvent) {
        switch (try data.optionalIdentifier("provider"), try data.optionalIdentifier("consortium")) {
        case (let provider?, nil): self = .provider(provider)
        case (nil, let consortium?): self = .consortium(consortium)
        case (nil, nil): throw InvalidEvent(field: data.field("provider"), message: "is required (or consortium)")
        case (_?, _?):
            throw InvalidEvent(field: data.field("consortium"), message: "give either provider or consortium, not both")
        }
    }

    /// The supplier's entity stream.
    var stream: String {
        switch self {
        case .provider(let id): EntityKind.provider.stream(id)
        case .consortium(let id): EntityKind.consortium.stream(id)
        }
    }

    /// Adds `provider` or `consortium` to `object`.
    func write(to object: inout [String: JSONValue]) {
        switch self {
        case .provider(let id): object["provider"] = .string(id)
        case .consortium(let id): object["consortium"] = .string(id)
        }
    }
}

/// `offer-submitted`: a provider's or consortium's offer for a requirement.
struct OfferSubmission: Sendable, Equatable {
    var offer: String
    var supplier: Supplier
    var pricePence: Int64
    var outcomes: [String]
    var approach: String?

    init(_ data: FieldReader) throws(InvalidEvent) {
        offer = try data.identifier("offerId")
        supplier = try Supplier(data)
        pricePence = try data.pence("pricePence")
        outcomes = try data.identifiers("outcomes")
        approach = try data.optionalText("approach")
    }

    static let fields = ["offerId", "provider", "consortium", "pricePence", "outcomes", "approach"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "offerId": .string(offer), "pricePence": .int(pricePence), "outcomes": .strings(outcomes),
        ]
        supplier.write(to: &object)
        object.set("approach", approach.map { .string($0) })
        return .object(object)
    }
}

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

    init(_ data: FieldReader) throws(InvalidEvent) {
        let weighting = try data.object("weighting", known: ["qualityBp", "priceBp"])
        qualityBp = try weighting.basisPoints("qualityBp")
        priceBp = try weighting.basisPoints("priceBp")
        guard qualityBp + priceBp == 10_000 else {
            throw InvalidEvent(field: data.field("weighting"), message: "qualityBp and priceBp must sum to 10000")
        }
        scores = try data.objects("scores", known: ["offerId", "qualityScore", "priceScore"]) {
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

    static let fields = ["weighting", "scores", "ranking"]

    /// The combined score of `score` in basis points, rounded half-up.
    func combined(_ score: Score) -> Int64 {
        PenceMath.divideRoundingHalfUp(
            Int128(score.qualityScore) * Int128(qualityBp) + Int128(score.priceScore) * Int128(priceBp),
            by: 10_000
        )
    }

    /// The 1-based rank of `offer`, or nil when it was not ranked.
    func rank(of offer: String) -> Int? { ranking.firstIndex(of: offer).map { $0 + 1 } }

    private func checkRanking(_ data: FieldReader) throws(InvalidEvent) {
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
