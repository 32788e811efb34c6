import Commissioning
import CommissioningScenario
import Crypto
import Foundation
import LedgerJSON
import Testing

@testable import Commissioning

/// Every query's answer on generated histories (corrections, recoveries, consortia and late payments included),
/// pinned by digest in `Fixtures/query-answers.json`: a new way of answering must give the same bytes.
///
/// `LEDGER_RECORD_QUERY_ANSWERS=1 swift test --filter QueryAnswersTests` rewrites the fixture from the code as it is;
/// do that only when an answer is meant to change, and say why in the commit.
@Suite("Query answers pinned on generated histories")
struct QueryAnswersTests {
    /// The histories: about 6,000 events each.
    static let seeds: [UInt64] = [3, 17]
    static let size = ScenarioSize(commissioners: 3, providers: 24, consortia: 3, cases: 150, concurrentCases: 12)
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/query-answers.json")

    /// One family's answers: how many queries, how many rows in all, and the SHA-256 of every answer in order.
    struct Answers: Codable, Equatable {
        var queries = 0
        var rows = 0
        var sha256 = ""
    }

    @Test("every query form over every entity, with and without periods, answers as pinned")
    func pinnedAnswers() throws {
        var measured = [String: [String: Answers]]()
        for seed in Self.seeds {
            let projections = ScenarioFixture(seed: seed, size: Self.size).projections()
            measured[String(seed)] = Self.answers(projections)
        }
        if ProcessInfo.processInfo.environment["LEDGER_RECORD_QUERY_ANSWERS"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(measured).write(to: Self.fixture)
            return
        }
        let pinned = try JSONDecoder().decode(
            [String: [String: Answers]].self,
            from: Data(contentsOf: Self.fixture)
        )
        for (seed, families) in measured {
            for (family, answers) in families {
                #expect(pinned[seed]?[family] == answers, "seed \(seed), \(family)")
                #expect(answers.rows > 0 || family.hasPrefix("audit exceptions"), "seed \(seed), \(family): no rows")
            }
            #expect(Set(pinned[seed]?.keys ?? [:].keys) == Set(families.keys))
        }
    }

    /// The answers of every query form, grouped by family (`payments commissioner`, `audit case`, ...).
    static func answers(_ projections: Projections) -> [String: Answers] {
        let facts = projections.facts
        let periods = Set(facts.contracts.values.flatMap { $0.deliveries.map(\.value.period.text) }).sorted()
        let years = Set(periods.map { String($0.prefix(4)) }).sorted()
        // No period, a month in the middle and the first year.
        let filters: [String?] = [nil] + [periods[safe: periods.count / 2], years.first].compactMap(\.self)
        var forms = [(family: String, arguments: [String])]()
        for commissioner in facts.commissioners.keys.sorted() {
            for filter in filters {
                forms.append(
                    ("payments commissioner", ["payments", "commissioner", commissioner] + [filter].compactMap(\.self))
                )
                forms.append(
                    ("market commissioner", ["market", "commissioner", commissioner] + [filter].compactMap(\.self))
                )
            }
            forms.append(("audit exceptions commissioner", ["audit", "exceptions", commissioner]))
        }
        forms.append(("audit exceptions", ["audit", "exceptions"]))
        for provider in facts.providers.keys.sorted() {
            for filter in filters {
                forms.append(("payments provider", ["payments", "provider", provider] + [filter].compactMap(\.self)))
            }
            forms.append(("quality provider", ["quality", "provider", provider]))
        }
        for contract in facts.contracts.keys.sorted() {
            forms.append(("payments contract", ["payments", "contract", contract]))
            forms.append(("audit contract", ["audit", "contract", contract]))
        }
        for contract in facts.contracts.keys.sorted().prefix(10) {
            for filter in filters.dropFirst() {
                forms.append(("payments contract period", ["payments", "contract", contract, filter ?? ""]))
            }
        }
        for caseID in facts.cases.keys.sorted() { forms.append(("audit case", ["audit", "case", caseID])) }
        for requirement in facts.requirements.keys.sorted() {
            forms.append(("audit requirement", ["audit", "requirement", requirement]))
        }
        var hashers = [String: SHA256]()
        var answers = [String: Answers]()
        for (family, arguments) in forms {
            var bytes = Array(arguments.joined(separator: " ").utf8) + [0x0A]
            do {
                let result = try projections.query(arguments)
                for row in result.rows {
                    row.write(to: &bytes)
                    bytes.append(0x0A)
                }
                result.summary.write(to: &bytes)
                answers[family, default: Answers()].rows += result.rows.count
            } catch {
                bytes += Array("\(error)".utf8)
            }
            bytes.append(0x0A)
            hashers[family, default: SHA256()].update(data: bytes)
            answers[family, default: Answers()].queries += 1
        }
        for (family, hasher) in hashers {
            answers[family]?.sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
        return answers
    }
}
