import LedgerJSON

/// The answer to a `QUERY`: its `ROW` objects and the summary from its `END` line.
public struct QueryAnswer: Sendable, Hashable {
    /// The rows, in the server's order; money in integer pence, rates in basis points.
    public var rows: [JSONValue]
    /// The summary object; it also holds the row `count` and the log `position` the answer reflects.
    public var summary: JSONValue

    /// An answer of `rows` and `summary`.
    public init(rows: [JSONValue], summary: JSONValue) {
        self.rows = rows
        self.summary = summary
    }
}

extension QueryAnswer {
    /// The answer as one object: `{"rows": [...], "summary": {...}}`.
    public var json: JSONValue { ["rows": .array(rows), "summary": summary] }
}
