import LedgerJSON

/// The answer to a query: rows (each a JSON object) and a summary object.
public struct QueryResult: Sendable, Equatable {
    /// The rows, in a stable order.
    public var rows: [JSONValue]
    /// Totals and figures over the rows.
    public var summary: JSONValue

    /// A result with the given rows and summary.
    public init(rows: [JSONValue], summary: JSONValue) {
        self.rows = rows
        self.summary = summary
    }
}
