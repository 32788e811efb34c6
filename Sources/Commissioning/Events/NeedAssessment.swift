import LedgerJSON

/// `need-assessed`: a person's required outcomes and preferences. The person is a pseudonymous reference only.
struct NeedAssessment: Sendable, Equatable {
    var personRef: String
    var commissioner: String
    var outcomes: [OutcomeSpec]
    var preferences: [String]
    var service: String?
    var assessedOn: Day?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        personRef = try data.identifier("personRef")
        commissioner = try data.identifier("commissioner")
        outcomes = try OutcomeSpec.list("outcomes", in: data)
        preferences = try data.texts("preferences")
        service = try data.optionalIdentifier("service")
        assessedOn = try data.optionalDay("assessedOn")
    }

    static let fields: JSONKeys = ["personRef", "commissioner", "outcomes", "preferences", "service", "assessedOn"]

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
