import Commissioning
import CommissioningScenario
import EventLog
import Foundation
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import ReadModels
import Testing

@testable import LedgerServer

/// The queries across the log (payments by commissioner and provider, exceptions, quality and market), answered from the read models as the fold writes them page by page, give
/// what the whole log's projections give, byte for byte on the wire, at the head and part-way, on a generated history
/// with corrections, recoveries, consortia and late payments.
@Suite("Read model answers")
struct ReadModelAnswersTests {
    @Test(
        "every commissioner's and provider's payments, with and without periods, exceptions, quality and market equal the live projections'"
    )
    func sameAnswers() throws {
        let ledger = try GeneratedLedger(
            prefix: "read-models",
            seed: 29,
            size: ScenarioSize(commissioners: 3, providers: 24, consortia: 3, cases: 80, concurrentCases: 12)
        )
        let (directory, log) = (ledger.directory, ledger.log)
        var years = Set<String>()
        var types = Set<String>()
        var pooled = false
        var shared = false
        for event in try log.readAll(from: 1, limit: 1_000_000) {
            let envelope = try event.envelope()
            if let recorded = envelope.recorded.stringValue { years.insert(String(recorded.prefix(4))) }
            types.insert(envelope.type.stringValue ?? "")
            pooled = pooled || envelope.data["pool"] != nil
            shared = shared || envelope.data["sharedBy"] != nil
        }
        // Shares of holders, partners and members are among the rows compared.
        #expect(types.contains("contract-transferred") && pooled && shared)
        let head = log.head.position
        let commissioners = ledger.ids(.commissioner) + ["LA-none"]
        let providers = ledger.ids(.provider) + ["P-none"]
        let periods: [String?] = [nil, "2025-13"] + years.sorted().flatMap { [$0, $0 + "-06", $0 + "-12"] }
        #expect(providers.count >= 20 && ledger.ids(.contract).count >= 40)

        for position in [head / 3, head] {
            let store = try ReadModelStore(path: try Self.directory(in: directory, at: position), snapshots: 8)
            // The whole log's projections answer from memory; the feed writes from the registries the daemon keeps and
            // the histories in the log.
            var projections = Projections()
            var registries = Projections(scope: .registries)
            var links = HistoryLinks(registries)
            var pages = ProjectionPages(log: log)
            var feed = ReadModelFeed(store: store, ledger: log.ledgerID, state: nil, head: 0)
            while projections.position < position {
                var page = try pages.page(from: projections.position + 1).filter { $0.position <= position }
                var copy = page
                projections.apply(&copy)
                registries.apply(&page)
                links.add(page, appliedTo: registries)
                feed.add(page, links: links)
                #expect(feed.write(registries, log: log, logger: .init(label: "test")) == registries.position)
            }
            #expect(links == HistoryLinks(projections))
            var rows = 0
            var forms = [["audit", "exceptions"]] + commissioners.map { ["audit", "exceptions", $0] }
            forms += providers.map { ["quality", "provider", $0] }
            forms += commissioners.flatMap { id in
                periods.map { ["market", "commissioner", id] + ($0.map { [$0] } ?? []) }
            }
            for (scope, ids) in [("commissioner", commissioners), ("provider", providers)] {
                for id in ids {
                    forms += periods.map { ["payments", scope, id] + ($0.map { [$0] } ?? []) }
                }
            }
            // The same store written afresh from the state, as a start that finds the store behind writes it.
            let fresh = try ReadModelStore(
                path: try Self.directory(in: directory, at: position + 1_000_000),
                snapshots: 8
            )
            try fresh.replaceAll(
                with: registries,
                ledger: log.ledgerID,
                reading: LogHistories(log: log, position: position).events
            )
            for arguments in forms {
                let expected = Self.wire(
                    Result { () throws(QueryError) in try projections.query(arguments) },
                    at: position
                )
                // One part per contract (the smallest parts), then the whole answer in one part; then written afresh.
                for (target, maxBytes) in [(store, 1), (store, 1 << 30), (fresh, 1 << 30)] {
                    let (answered, count) = Self.streamed(arguments, from: target, maxBytes: maxBytes)
                    rows += count
                    if expected != answered {
                        let same = zip(expected, answered).prefix { $0 == $1 }.count
                        Issue.record(
                            """
                            \(arguments.joined(separator: " ")) at \(position) (parts of \(maxBytes) bytes), \
                            from byte \(same): live \(String(decoding: expected.dropFirst(same).prefix(120), as: UTF8.self)), \
                            read models \(String(decoding: answered.dropFirst(same).prefix(120), as: UTF8.self))
                            """
                        )
                    }
                }
            }
            #expect(rows > 500, "the answers compared hold rows")
            // The stored links (kept page by page, and written afresh) name the streams the live links name, for every
            // query about one entity.
            for snapshot in [try store.snapshot(), try fresh.snapshot()] {
                try Self.compareLinks(snapshot, links, ledger)
                snapshot.close()
            }
            // Paged, seven rows at a time, the pages hold the whole answer's rows, in order, each once.
            let paged = forms.filter { ["audit", "payments"].contains($0[0]) && $0.last != "2025-13" }
            for arguments in paged {
                let (whole, count) = Self.streamed(arguments, from: store, maxBytes: 1 << 30)
                var pages = [UInt8]()
                var page = QueryPage(limit: 7)
                var pageCount = 0
                while true {
                    let (bytes, rows, next) = Self.page(arguments, page, from: store)
                    #expect(rows <= 7)
                    pages += bytes
                    pageCount += 1
                    guard let next else { break }
                    page.from = next
                }
                let query = arguments.joined(separator: " ")
                #expect(Self.rowLines(of: pages) == Self.rowLines(of: whole), "\(query) paged")
                #expect(pageCount >= count / 7, "\(query): \(pageCount) pages of \(count) rows")
            }
        }
    }

    @Test("until the read models serve, the queries across the log answer UNAVAILABLE, the others as always")
    func unavailableUntilServing() throws {
        let ledger = try GeneratedLedger(
            prefix: "read-models-unavailable",
            seed: 3,
            size: .tiny
        )
        let commissioner = try #require(ledger.ids(.commissioner).first)
        let store = try ReadModelStore(path: try Self.directory(in: ledger.directory, at: 0), snapshots: 8)
        // Not started: nothing is restored, folded or written, so the read models do not serve yet.
        for readModels in [store, nil] {
            let host = ProjectionHost(log: ledger.log, logger: .init(label: "test"), readModels: readModels)
            func refusal(_ arguments: [String]) -> QueryError.Code? {
                do throws(QueryError) {
                    _ = try host.query(arguments)
                    return nil
                } catch {
                    return error.code
                }
            }
            for arguments in [
                ["payments", "commissioner", commissioner], ["audit", "exceptions"], ["quality", "provider", "P1"],
                ["market", "commissioner", commissioner],
            ] {
                #expect(refusal(arguments) == (readModels == nil ? .internal : .unavailable), "\(arguments)")
            }
            #expect(refusal(["payments", "everyone"]) == .badRequest)
            // A query about one entity reads the log as of the links' position: 0 before the fold starts.
            #expect(refusal(["audit", "contract", try #require(ledger.ids(.contract).first)]) == .notFound)
        }
    }

    /// Expects the stored links of `snapshot` to name the streams `links` name, for every query about one entity.
    static func compareLinks(_ snapshot: ReadModelSnapshot, _ links: HistoryLinks, _ ledger: GeneratedLedger) throws {
        var forms = ledger.ids(.contract).map { ["payments", "contract", $0] } + [["audit", "contract", "K-none"]]
        forms += ledger.ids(.case).map { ["audit", "case", $0] } + [["audit", "case", "C-none"]]
        forms += ledger.ids(.requirement).map { ["audit", "requirement", $0] }
        for arguments in forms {
            #expect(try snapshot.streams(answering: arguments) == links.streams(answering: arguments), "\(arguments)")
        }
    }

    /// The `ROW` lines of a wire answer.
    static func rowLines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n")).filter { $0.starts(with: Array("ROW ".utf8)) }
    }

    /// One page of the answer: its `ROW` lines, their count and the next page's cursor.
    static func page(
        _ arguments: [String],
        _ page: QueryPage,
        from store: ReadModelStore
    ) -> (bytes: [UInt8], rows: Int, next: ReadModelCursor?) {
        do throws(QueryError) {
            var answer = try StreamedAnswer(arguments, from: store, page: page)
            var bytes = [UInt8]()
            while !answer.isComplete { bytes += try answer.nextPart(maxBytes: 1) }
            return (bytes, answer.rows, answer.next)
        } catch {
            return ([], 0, nil)
        }
    }
}

extension ReadModelAnswersTests {
    /// A store directory of its own for each position compared.
    static func directory(in directory: TemporaryDirectory, at position: UInt64) throws -> String {
        let path = directory.path + "/read-models-\(position)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// The answer as the wire carries it, or the error line.
    static func wire(_ answer: Result<QueryResult, QueryError>, at position: UInt64) -> [UInt8] {
        switch answer {
        case .success(let result): return Connection.reply(result, at: position)
        case .failure(let error):
            var line = [UInt8]()
            Reply.error(error.wire, to: &line)
            return line
        }
    }

    /// The answer streamed from the read models in parts of at least `maxBytes`, and its row count.
    static func streamed(_ arguments: [String], from store: ReadModelStore, maxBytes: Int) -> ([UInt8], Int) {
        var bytes = [UInt8]()
        do throws(QueryError) {
            var answer = try StreamedAnswer(arguments, from: store, page: nil)
            while !answer.isComplete { bytes += try answer.nextPart(maxBytes: maxBytes) }
            var summary = answer.query.summary.objectValue ?? [:]
            summary["count"] = .number(.init(answer.rows))
            summary["position"] = .number(.init(answer.position))
            Reply.end(.object(summary), to: &bytes)
            return (bytes, answer.rows)
        } catch {
            return (wire(.failure(error), at: 0), 0)
        }
    }
}
