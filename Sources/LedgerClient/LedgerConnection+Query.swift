import LedgerProtocol

extension LedgerConnection {
    /// `QUERY [AFTER <after>] <arguments>`: an answer from the commissioning projections.
    /// - Parameters:
    ///   - arguments: the words after `QUERY`, e.g. `["payments", "commissioner", "N01"]`.
    ///   - after: a log position the answer must reflect (read-your-writes: the `last` of an append); the server
    ///     waits up to 5 seconds for its projections to reach it.
    /// - Throws: `LedgerClientError.server` with `.badRequest` (bad words, or `after` beyond the head),
    ///   `.notFound` (an unknown entity) or `.timeout`.
    public func query(_ arguments: [String], after: UInt64? = nil) async throws(LedgerClientError) -> QueryAnswer {
        let future = send(try Self.line(.query(arguments: arguments, after: after)), as: PendingRequest.rows)
        guard case .rows(let rows, let end) = try await Self.wait(for: future) else {
            throw .protocolViolation("QUERY was not answered with rows")
        }
        return QueryAnswer(rows: rows, summary: end)
    }
}
