import Commissioning
import LedgerJSON
import LedgerProtocol
import ReadModels

/// A query across the log being answered from one snapshot of the read models, part by part, whole or one page of it.
struct StreamedAnswer: Sendable {
    /// The queries the read models answer, each with its answer built so far.
    enum Query: Sendable {
        case payments(PaymentsAcrossContracts)
        case exceptions(ExceptionsAcrossLog)
        /// `quality provider <id>`, read whole in the first part (its answer is a provider's own rows).
        case quality(provider: String, answer: QualityOfProvider?)
        /// `market commissioner <id> [period]`, read whole in the first part (its rows are the holders of contracts).
        case market(MarketOfCommissioner, recorded: String, answer: QueryResult?)

        /// The query `arguments` ask, when the read models answer it.
        init?(_ arguments: [String], recorded: String) throws(QueryError) {
            if let payments = try PaymentsAcrossContracts(arguments, recorded: recorded) {
                self = .payments(payments)
            } else if let exceptions = ExceptionsAcrossLog(arguments) {
                self = .exceptions(exceptions)
            } else if QualityOfProvider.answers(arguments) {
                self = .quality(provider: arguments[2], answer: nil)
            } else if let market = try MarketOfCommissioner(arguments) {
                self = .market(market, recorded: recorded, answer: nil)
            } else {
                return nil
            }
        }

        /// Whether the read models answer `arguments`.
        static func answers(_ arguments: [String]) -> Bool {
            PaymentsAcrossContracts.answers(arguments) || ExceptionsAcrossLog.answers(arguments)
                || QualityOfProvider.answers(arguments) || MarketOfCommissioner.answers(arguments)
        }

        /// Whether the answer to `arguments` can be paged (`LIMIT`).
        static func isPaged(_ arguments: [String]) -> Bool {
            PaymentsAcrossContracts.answers(arguments) || ExceptionsAcrossLog.answers(arguments)
        }

        /// The entity the answer is about, which must be registered, and the error when it is not.
        var subject: (kind: EntityKind, id: String, notFound: QueryError)? {
            switch self {
            case .payments(let answer): (answer.subject.kind, answer.subject.id, answer.notFound)
            case .exceptions(let answer): answer.commissioner.map { (.commissioner, $0, answer.notFound) }
            case .quality(let provider, _): (.provider, provider, QualityOfProvider.notFound(provider))
            case .market(let market, _, _): (.commissioner, market.commissioner, market.notFound)
            }
        }

        var summary: JSONValue {
            switch self {
            case .payments(let answer): answer.summary
            case .exceptions(let answer): answer.summary
            case .quality(_, let answer): answer?.summary ?? [:]
            case .market(_, _, let answer): answer?.summary ?? [:]
            }
        }
    }

    private(set) var query: Query
    let snapshot: ReadModelSnapshot
    /// The position of the state the snapshot holds.
    let position: UInt64
    /// Where the next part goes on; nil at the start of a whole answer.
    private var cursor: ReadModelCursor?
    /// The rows a page may still send; nil for a whole answer.
    private var rowsLeft: Int?
    /// The rows sent so far.
    private(set) var rows = 0
    private(set) var isComplete = false

    /// The answer from `page`'s cursor (its start without one), of at most `page.limit` rows; the whole answer without
    /// a page.
    init(query: Query, snapshot: ReadModelSnapshot, position: UInt64, page: QueryPage?) {
        self.query = query
        self.snapshot = snapshot
        self.position = position
        cursor = page?.from
        rowsLeft = page?.limit
    }

    /// The answer to `arguments` (a query the read models answer) from a snapshot of `store`, whole or `page` of it.
    /// - Throws: `QueryError`: `NOT_FOUND` for an unknown subject, `BAD_REQUEST` for bad arguments, `INTERNAL` when the
    ///   store cannot be read.
    init(_ arguments: [String], from store: ReadModelStore, page: QueryPage?) throws(QueryError) {
        let snapshot = try Self.reading { try store.snapshot() }
        guard let state = try Self.reading({ try snapshot.state() }),
            let query = try Query(arguments, recorded: state.recorded)
        else { throw .internal("the read models hold no state") }
        if let subject = query.subject {
            guard try Self.reading({ try snapshot.isRegistered(subject.kind, subject.id) }) else {
                throw subject.notFound
            }
        }
        self.init(query: query, snapshot: snapshot, position: state.position, page: page)
    }

    /// `body`'s result, or its error as the `INTERNAL` query error.
    static func reading<Result>(_ body: () throws -> Result) throws(QueryError) -> Result {
        do {
            return try body()
        } catch {
            throw .internal("cannot read the read models: \(error)")
        }
    }

    /// Where the next page goes on, once the answer is complete: nil when nothing is left (or it was not paged).
    var next: ReadModelCursor? { isComplete && rowsLeft != nil ? cursor : nil }

    /// Reads the next part: `ROW` lines of at least `maxBytes` (unless the answer or its page ends first).
    mutating func nextPart(maxBytes: Int) throws(QueryError) -> [UInt8] {
        precondition(!isComplete, "a part read after the end of the answer")
        var lines = [UInt8]()
        do {
            let maxRows = rowsLeft ?? .max
            let (written, next): (Int, ReadModelCursor?)
            switch query {
            case .payments(var answer):
                (written, next) = try snapshot.payments(
                    &answer,
                    from: cursor,
                    maxBytes: maxBytes,
                    maxRows: maxRows,
                    into: &lines
                )
                query = .payments(answer)
            case .exceptions(var answer):
                (written, next) = try snapshot.exceptions(
                    &answer,
                    from: cursor,
                    maxBytes: maxBytes,
                    maxRows: maxRows,
                    into: &lines
                )
                query = .exceptions(answer)
            case .quality(let provider, _):
                guard let answer = try snapshot.quality(provider: provider) else {
                    throw ReadModelError.damaged("no standing of provider \(provider), which is registered")
                }
                for row in answer.rows { Reply.row(row, to: &lines) }
                (written, next) = (answer.rows.count, nil)
                query = .quality(provider: provider, answer: answer)
            case .market(let market, let recorded, _):
                let answer = try snapshot.market(market, recorded: recorded)
                for row in answer.rows { Reply.row(row, to: &lines) }
                (written, next) = (answer.rows.count, nil)
                query = .market(market, recorded: recorded, answer: answer)
            }
            rows += written
            cursor = next
            rowsLeft = rowsLeft.map { $0 - written }
            isComplete = next == nil || rowsLeft == 0
        } catch {
            throw .internal("cannot read the read models: \(error)")
        }
        if isComplete { snapshot.close() }
        return lines
    }
}

/// A page of a query's answer: `LIMIT <rows> [FROM <cursor>]` at the end of its words.
struct QueryPage: Sendable, Equatable {
    /// The most rows a page holds.
    static let maxLimit = 100_000
    /// The queries that can be paged, for the error of asking another.
    static let offeredFor = "LIMIT pages payments by commissioner or provider, and audit exceptions"

    var limit: Int
    var from: ReadModelCursor? = nil

    /// Splits the page clause off the end of `arguments` (the words after QUERY and its AFTER clause).
    /// - Returns: the words before it, and the page when there is one.
    /// - Throws: `QueryError` (`BAD_REQUEST`) for a malformed clause.
    static func split(_ arguments: [String]) throws(QueryError) -> (arguments: [String], page: QueryPage?) {
        guard let at = arguments.lastIndex(of: "LIMIT") else { return (arguments, nil) }
        let clause = arguments[at...]
        guard clause.count == 2 || (clause.count == 4 && clause[at + 2] == "FROM") else {
            throw .badRequest("the page clause ends the query: LIMIT <rows> [FROM <cursor>]")
        }
        let limitText = clause[at + 1]
        guard limitText.utf8.count <= 6, limitText.allSatisfy(\.isASCII), let limit = Int(limitText),
            (1...maxLimit).contains(limit)
        else { throw .badRequest("LIMIT takes 1 to \(maxLimit) rows") }
        var from: ReadModelCursor? = nil
        if clause.count == 4 {
            guard let cursor = ReadModelCursor(text: clause[at + 3]) else {
                throw .badRequest("FROM takes the cursor an earlier page's END gave as next, <key>/<row>")
            }
            from = cursor
        }
        return (Array(arguments[..<at]), QueryPage(limit: limit, from: from))
    }
}
