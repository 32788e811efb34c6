import LedgerJSON

/// `provider-registered`: a provider with its scale, voluntary status and regulator rating.
struct ProviderRegistration: Sendable, Equatable {
    var name: String
    var scale: Scale
    var voluntary: Bool
    var regulator: Regulator
    var rating: Rating

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        name = try data.text("name")
        scale = try data.choice("scale")
        voluntary = try data.bool("voluntary")
        regulator = try data.choice("regulator")
        rating = try data.choice("rating")
        try RatingChange.check(regulator: regulator, rating: rating, data)
    }

    static let fields: JSONKeys = ["name", "scale", "voluntary", "regulator", "rating"]

    var json: JSONValue {
        [
            "name": .string(name), "scale": .string(scale.rawValue), "voluntary": .bool(voluntary),
            "regulator": .string(regulator.rawValue), "rating": .string(rating.rawValue),
        ]
    }
}
