import LedgerJSON

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

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
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

    static let fields: JSONKeys = [
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
