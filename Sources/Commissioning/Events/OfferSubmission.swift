import LedgerJSON

/// `offer-submitted`: a provider's or consortium's offer for a requirement.
struct OfferSubmission: Sendable, Equatable {
    var offer: String
    var supplier: Supplier
    var pricePence: Int64
    var outcomes: [String]
    var approach: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        offer = try data.identifier("offerId")
        supplier = try Supplier(data)
        pricePence = try data.pence("pricePence")
        outcomes = try data.identifiers("outcomes")
        approach = try data.optionalText("approach")
    }

    static let fields: JSONKeys = ["offerId", "provider", "consortium", "pricePence", "outcomes", "approach"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "offerId": .string(offer), "pricePence": .int(pricePence), "outcomes": .strings(outcomes),
        ]
        supplier.write(to: &object)
        object.set("approach", approach.map { .string($0) })
        return .object(object)
    }
}
