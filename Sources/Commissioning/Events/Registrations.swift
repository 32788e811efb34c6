import LedgerJSON

/// `commissioner-registered`: a council or NHS body.
struct CommissionerRegistration: Sendable, Equatable {
    var name: String
    var kind: CommissionerKind

    init(_ data: FieldReader) throws(InvalidEvent) {
        name = try data.text("name")
        kind = try data.choice("kind")
    }

    static let fields = ["name", "kind"]

    var json: JSONValue { ["name": .string(name), "kind": .string(kind.rawValue)] }
}

/// `provider-registered`: a provider with its scale, voluntary status and regulator rating.
struct ProviderRegistration: Sendable, Equatable {
    var name: String
    var scale: Scale
    var voluntary: Bool
    var regulator: Regulator
    var rating: Rating

    init(_ data: FieldReader) throws(InvalidEvent) {
        name = try data.text("name")
        scale = try data.choice("scale")
        voluntary = try data.bool("voluntary")
        regulator = try data.choice("regulator")
        rating = try data.choice("rating")
        try RatingChange.check(regulator: regulator, rating: rating, data)
    }

    static let fields = ["name", "scale", "voluntary", "regulator", "rating"]

    var json: JSONValue {
        [
            "name": .string(name), "scale": .string(scale.rawValue), "voluntary": .bool(voluntary),
            "regulator": .string(regulator.rawValue), "rating": .string(rating.rawValue),
        ]
    }
}

/// `provider-rating-changed`: a new regulator rating, effective from a date.
struct RatingChange: Sendable, Equatable {
    var regulator: Regulator
    var rating: Rating
    var effective: Day

    init(_ data: FieldReader) throws(InvalidEvent) {
        regulator = try data.choice("regulator")
        rating = try data.choice("rating")
        effective = try data.day("effective")
        try Self.check(regulator: regulator, rating: rating, data)
    }

    static let fields = ["regulator", "rating", "effective"]

    /// A provider with no regulator has no rating.
    static func check(regulator: Regulator, rating: Rating, _ data: FieldReader) throws(InvalidEvent) {
        if regulator == .none, rating != .notRated {
            throw InvalidEvent(field: data.field("rating"), message: "must be not-rated when the regulator is none")
        }
    }

    var json: JSONValue {
        [
            "regulator": .string(regulator.rawValue), "rating": .string(rating.rawValue),
            "effective": .string(effective.text),
        ]
    }
}

/// `provider-scale-changed`: the provider grew or shrank (market figures use the scale at the time of award).
struct ScaleChange: Sendable, Equatable {
    var scale: Scale
    var voluntary: Bool?
    var effective: Day

    init(_ data: FieldReader) throws(InvalidEvent) {
        scale = try data.choice("scale")
        voluntary = try data.optionalBool("voluntary")
        effective = try data.day("effective")
    }

    static let fields = ["scale", "voluntary", "effective"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["scale": .string(scale.rawValue), "effective": .string(effective.text)]
        object.set("voluntary", voluntary.map { .bool($0) })
        return .object(object)
    }
}

/// `consortium-registered`: an integrator and its member providers with their shares of the work.
struct ConsortiumRegistration: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var provider: String
        var shareBp: Int64
    }

    var name: String
    var integrator: String
    var members: [Member]
    var managementFeeBp: Int64

    init(_ data: FieldReader) throws(InvalidEvent) {
        name = try data.text("name")
        integrator = try data.identifier("integrator")
        members = try data.objects("members", known: ["provider", "shareBp"]) { (member) throws(InvalidEvent) in
            Member(provider: try member.identifier("provider"), shareBp: try member.basisPoints("shareBp"))
        }
        managementFeeBp = try data.basisPoints("managementFeeBp")
        guard !members.isEmpty else { throw InvalidEvent(field: data.field("members"), message: "must not be empty") }
        var seen = Set<String>()
        for (index, member) in members.enumerated() where !seen.insert(member.provider).inserted {
            throw InvalidEvent(field: "\(data.field("members"))[\(index)].provider", message: "is repeated")
        }
        guard members.reduce(0, { $0 + $1.shareBp }) == 10_000 else {
            throw InvalidEvent(field: data.field("members"), message: "shareBp must sum to 10000")
        }
    }

    static let fields = ["name", "integrator", "members", "managementFeeBp"]

    var json: JSONValue {
        [
            "name": .string(name), "integrator": .string(integrator), "managementFeeBp": .int(managementFeeBp),
            "members": .array(members.map { ["provider": .string($0.provider), "shareBp": .int($0.shareBp)] }),
        ]
    }
}
