import LedgerJSON

extension Projections {
    /// Answers a `QUERY`; `arguments` are the words after QUERY:
    /// - `payments contract|provider|commissioner <id> [period]`
    /// - `audit case|requirement|contract <id>` and `audit exceptions [commissioner-id]`
    /// - `quality provider <id>`
    /// - `market commissioner <id> [period]`
    ///
    /// A period is `YYYY-MM` or `YYYY`. An audit entry shows its event's leaf hash as `leafHashes` gives it for the
    /// entry's log position (the log keeps the hashes; the projections do not), and none where it gives nil.
    /// - Returns: rows (each a JSON object) and a summary object.
    /// - Throws: `QueryError` with code `BAD_REQUEST` for bad arguments or `NOT_FOUND` for an unknown entity, or what
    ///   `leafHashes` throws.
    public func query(
        _ arguments: [String],
        leafHashes: (UInt64) throws(QueryError) -> String? = { _ in nil }
    ) throws(QueryError) -> QueryResult {
        switch arguments.first {
        case "payments":
            guard (3...4).contains(arguments.count) else {
                throw .badRequest("usage: payments contract|provider|commissioner <id> [period]")
            }
            if PaymentsAcrossContracts.answers(arguments) { return try paymentsAcrossContracts(arguments) }
            return try payments(scope: arguments[1], id: arguments[2], period: PeriodFilter(arguments[safe: 3]))
        case "audit":
            if arguments[safe: 1] == "exceptions", arguments.count <= 3 {
                return try exceptions(commissioner: arguments[safe: 2])
            }
            guard arguments.count == 3 else {
                throw .badRequest("usage: audit case|requirement|contract <id>, or audit exceptions [commissioner]")
            }
            return try audit(scope: arguments[1], id: arguments[2], leafHashes: leafHashes)
        case "quality":
            guard arguments.count == 3, arguments[1] == "provider" else {
                throw .badRequest("usage: quality provider <id>")
            }
            return try quality(provider: arguments[2])
        case "market":
            guard (3...4).contains(arguments.count), arguments[1] == "commissioner" else {
                throw .badRequest("usage: market commissioner <id> [period]")
            }
            return try market(commissioner: arguments[2], period: PeriodFilter(arguments[safe: 3]))
        default:
            throw .badRequest("unknown query; use payments, audit, quality or market")
        }
    }

    /// The ids of `dictionary` in byte order, for stable output.
    static func sortedIDs<Value>(_ dictionary: [String: Value]) -> [String] {
        dictionary.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

extension Array {
    /// The element at `index`, or nil when out of bounds.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
