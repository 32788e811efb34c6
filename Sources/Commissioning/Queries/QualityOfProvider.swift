import LedgerJSON

/// The answer to `quality provider <id>` built from its parts: the provider's standing, its evaluations in
/// requirement order and its attainment under each contract, as `Projections.query` builds it.
public struct QualityOfProvider: Sendable {
    public let provider: String
    private let standing: ProviderStanding
    private var evaluations = EvaluationTally()
    private var attainment = AttainmentTally()
    /// The rows: the standing's rating rows, then each evaluation's.
    public private(set) var rows: [JSONValue]

    /// Whether `arguments` (the words after QUERY) are `quality provider <id>`.
    public static func answers(_ arguments: [String]) -> Bool {
        arguments.count == 3 && arguments[0] == "quality" && arguments[1] == "provider"
    }

    /// The answer about `provider`, whose standing is `standing`.
    public init(provider: String, standing: ProviderStanding) {
        self.provider = provider
        self.standing = standing
        rows = standing.rows
    }

    /// The error for a provider that is not registered.
    public static func notFound(_ provider: String) -> QueryError { .notFound(.provider, provider) }

    /// Adds one evaluation of the provider's offers (in requirement order).
    public mutating func add(_ evaluation: EvaluationRow) {
        precondition(evaluation.provider == provider, "another provider's evaluation in a quality answer")
        evaluations.add(evaluation.tally)
        rows.append(evaluation.row)
    }

    /// Adds the provider's attainment under one contract.
    public mutating func add(_ attainment: ProviderAttainment) {
        self.attainment.add(attainment.tally)
    }

    public var summary: JSONValue {
        [
            "provider": .string(provider), "scale": .string(standing.scale), "rating": .string(standing.rating),
            "attainment": attainment.json, "evaluations": evaluations.json,
        ]
    }

    /// The answer.
    public var result: QueryResult { QueryResult(rows: rows, summary: summary) }
}
