import Commissioning
import ReadModels

/// A payments query across contracts being answered from one snapshot of the read models, part by part, whole or one
/// page of it.
struct StreamedPayments: Sendable {
    var answer: PaymentsAcrossContracts
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
    init(answer: PaymentsAcrossContracts, snapshot: ReadModelSnapshot, position: UInt64, page: QueryPage?) {
        self.answer = answer
        self.snapshot = snapshot
        self.position = position
        cursor = page?.from
        rowsLeft = page?.limit
    }

    /// Where the next page goes on, once the answer is complete: nil when nothing is left (or it was not paged).
    var next: ReadModelCursor? { isComplete && rowsLeft != nil ? cursor : nil }

    /// Reads the next part: `ROW` lines of at least `maxBytes` (unless the answer or its page ends first).
    mutating func nextPart(maxBytes: Int) throws(QueryError) -> [UInt8] {
        precondition(!isComplete, "a part read after the end of the answer")
        var lines = [UInt8]()
        do {
            let (written, next) = try snapshot.payments(
                &answer,
                from: cursor,
                maxBytes: maxBytes,
                maxRows: rowsLeft ?? .max,
                into: &lines
            )
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
                throw .badRequest("FROM takes the cursor an earlier page's END gave as next, <contract>/<row>")
            }
            from = cursor
        }
        return (Array(arguments[..<at]), QueryPage(limit: limit, from: from))
    }
}
