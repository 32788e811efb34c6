/// The answer to `market commissioner <id> [period]` from a tally of the whole period (a read model's roll-up), as
/// `Projections.query` answers it from the facts.
public struct MarketOfCommissioner: Sendable {
    public let commissioner: String
    /// The months the answer covers.
    public let scope: PeriodScope

    /// Whether `arguments` (the words after QUERY) ask for a commissioner's market.
    public static func answers(_ arguments: [String]) -> Bool {
        arguments.count >= 3 && arguments[0] == "market" && arguments[1] == "commissioner"
    }

    /// The answer to `arguments`; nil when they do not ask for a commissioner's market.
    /// - Throws: `QueryError` (`BAD_REQUEST`) for a bad period or too many words.
    public init?(_ arguments: [String]) throws(QueryError) {
        guard Self.answers(arguments) else { return nil }
        guard arguments.count <= 4 else { throw .badRequest("usage: market commissioner <id> [period]") }
        commissioner = arguments[2]
        scope = try PeriodFilter(arguments[safe: 3]).scope
    }

    /// The error for a commissioner that is not registered.
    public var notFound: QueryError { .notFound(.commissioner, commissioner) }

    /// The answer from `tally` (the commissioner's for the scope's months) as of a state whose last event was recorded
    /// at `recorded`, with each consortium's members as `members` names them.
    public func answer(_ tally: MarketTally, recorded: String, members: (String) -> ConsortiumMembers?) -> QueryResult {
        tally.answer(commissioner: commissioner, today: Day(String(recorded.prefix(10))), members: members)
    }
}

extension MarketPart {
    /// The tallies this part counts in: every month's, and its year's and month's when it has one.
    public var scopes: [PeriodScope] {
        guard let month else { return [.all] }
        return [.all, .year(month / 12), .month(month)]
    }
}
