import LedgerJSON

/// The answer to `audit exceptions [commissioner]` built row by row, in log order: its summary counts the rows by
/// kind, as `Projections.query` counts them.
public struct ExceptionsAcrossLog: Sendable {
    /// The commissioner whose exceptions are asked for; nil for everyone's.
    public let commissioner: String?
    private var count = 0
    private var byKind = [String: Int64]()

    /// Whether `arguments` (the words after QUERY) are `audit exceptions [commissioner]`.
    public static func answers(_ arguments: [String]) -> Bool {
        arguments.count <= 3 && arguments.first == "audit" && arguments[safe: 1] == "exceptions"
    }

    /// The answer to `arguments`; nil when they are not `audit exceptions [commissioner]`.
    public init?(_ arguments: [String]) {
        guard Self.answers(arguments) else { return nil }
        commissioner = arguments[safe: 2]
    }

    /// The error for a commissioner that is not registered.
    public var notFound: QueryError { .notFound(.commissioner, commissioner ?? "") }

    /// Counts a row of `kind`.
    public mutating func add(kind: String) {
        count += 1
        byKind[kind, default: 0] += 1
    }

    /// The summary of the rows counted.
    public var summary: JSONValue {
        var summary: [String: JSONValue] = ["count": .int(count), "byKind": .object(byKind.mapValues { .int($0) })]
        summary.set("commissioner", commissioner.map { .string($0) })
        return .object(summary)
    }
}
