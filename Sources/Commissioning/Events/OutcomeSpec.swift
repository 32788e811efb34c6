import LedgerJSON

/// A required outcome: an id (unique within its list) and how it is measured.
struct OutcomeSpec: Sendable, Equatable {
    var id: String
    var measure: String

    /// Reads the array `key` of outcomes, refusing repeated ids.
    static func list(_ key: String, in data: FieldReader<some JSONReadable>) throws(InvalidEvent) -> [OutcomeSpec] {
        let outcomes = try data.objects(key, known: Self.fields) { (outcome) throws(InvalidEvent) in
            OutcomeSpec(id: try outcome.identifier("id"), measure: try outcome.text("measure"))
        }
        var seen = Set<String>()
        for (index, outcome) in outcomes.enumerated() where !seen.insert(outcome.id).inserted {
            throw InvalidEvent(field: "\(data.field(key))[\(index)].id", message: "is repeated")
        }
        return outcomes
    }

    /// The fields of one outcome.
    static let fields: JSONKeys = ["id", "measure"]

    static func json(_ outcomes: [OutcomeSpec]) -> JSONValue {
        .array(outcomes.map { ["id": .string($0.id), "measure": .string($0.measure)] })
    }
}
