import Commissioning
import CommissioningScenario
import EventLog
import LedgerTestSupport
import Testing

@testable import LedgerServer

/// The queries about one entity's history, answered from its streams in the log, give what the whole log's projections
/// give, byte for byte, at the head and part-way, on a generated history with corrections, recoveries, consortia and
/// late payments.
@Suite("Entity queries from the log")
struct EntityQueriesTests {
    @Test("every contract's payments and audit, every case's and requirement's audit, equal the live projections'")
    func sameAnswers() throws {
        let ledger = try GeneratedLedger(
            prefix: "contract-queries",
            seed: 23,
            size: ScenarioSize(commissioners: 3, providers: 24, consortia: 3, cases: 60, concurrentCases: 12)
        )
        let log = ledger.log
        let head = log.head.position
        let contracts = ledger.ids(.contract) + ["K-none", "not a name"]
        let cases = ledger.ids(.case) + ["C-none"]
        let requirements = ledger.ids(.requirement) + ["R-none"]
        #expect(contracts.count >= 40)

        for position in [head / 2, head] {
            var projections = Projections()
            var links = HistoryLinks(projections)
            var pages = ProjectionPages(log: log)
            while projections.position < position {
                var page = try pages.page(from: projections.position + 1)
                projections.apply(&page, through: position)
                links.add(page.filter { $0.position <= position }, appliedTo: projections)
            }
            #expect(links == HistoryLinks(projections), "the links kept page by page are the links of the state")
            let queries = EntityQueries(log: log)
            var forms = [[String]]()
            for id in contracts {
                forms += [
                    ["payments", "contract", id], ["payments", "contract", id, "2025"],
                    ["payments", "contract", id, "2025-06"], ["audit", "contract", id],
                ]
            }
            forms += cases.map { ["audit", "case", $0] } + requirements.map { ["audit", "requirement", $0] }
            for arguments in forms {
                let streams = try #require(links.streams(answering: arguments))
                let live = Result { () throws(QueryError) in
                    try projections.query(arguments) { (position) throws(QueryError) in
                        try log.leafHashForQuery(at: position)
                    }
                }
                let fromLog = Result { () throws(QueryError) in
                    try queries.answer(arguments, streams: streams, at: position)
                }
                let (expected, answered) = (Self.text(live), Self.text(fromLog))
                if expected != answered {
                    let same = zip(expected, answered).prefix { $0 == $1 }.count
                    let query = arguments.joined(separator: " ")
                    let live = String(expected.dropFirst(same).prefix(120))
                    let log = String(answered.dropFirst(same).prefix(120))
                    Issue.record("\(query) at \(position), from character \(same): live \(live), log \(log)")
                }
            }
        }
    }

    /// The answer as the wire writes it, or the error.
    static func text(_ answer: Result<QueryResult, QueryError>) -> String {
        switch answer {
        case .success(let result):
            var bytes = [UInt8]()
            for row in result.rows { row.write(to: &bytes) }
            result.summary.write(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case .failure(let error):
            return "\(error)"
        }
    }
}
