import LedgerJSON

/// `provider-rating-changed`: a new regulator rating, effective from a date.
struct RatingChange: Sendable, Equatable {
    var regulator: Regulator
    var rating: Rating
    var effective: Day

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        regulator = try data.choice("regulator")
        rating = try data.choice("rating")
        effective = try data.day("effective")
        try Self.check(regulator: regulator, rating: rating, data)
    }

    static let fields: JSONKeys = ["regulator", "rating", "effective"]

    /// A provider with no regulator has no rating.
    static func check(regulator: Regulator, rating: Rating, _ data: FieldReader<some JSONReadable>) throws(InvalidEvent)
    {
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
