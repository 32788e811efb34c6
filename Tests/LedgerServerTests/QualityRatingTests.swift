import Foundation
import LedgerTestSupport
import Testing

/// A reward for quality by rating, on the real daemon: a rating change on the provider's stream, though no event of
/// the contract's changes, changes the contract's payments in every answer: from the read models (payments by
/// provider and commissioner), from the log (payments contract), and from read models written afresh.
@Suite("Reward for quality by rating in the daemon")
struct QualityRatingTests {
    /// The events up to two delivered months of contract K1 (P1 at £19.99 an hour, +3 % while rated outstanding).
    static let history = [
        #"APPEND commissioner-LA1 none {"id":"\#(uuid(1))","type":"commissioner-registered","data":{"name":"Anytown Council","kind":"local-authority"}}"#,
        #"APPEND provider-P1 none {"id":"\#(uuid(2))","type":"provider-registered","data":{"name":"Homecare One","scale":"small","voluntary":false,"regulator":"cqc","rating":"good"}}"#,
        #"APPEND case-C1 none {"id":"\#(uuid(3))","type":"need-assessed","data":{"personRef":"pr-1","commissioner":"LA1","outcomes":[],"preferences":[]}}"#,
        #"APPEND requirement-R1 none {"id":"\#(uuid(4))","type":"requirement-published","data":{"case":"C1","commissioner":"LA1","outcomes":[],"preferences":[],"route":"direct-award","justification":"continuity of care","invited":["P1"]}}"#,
        #"APPEND contract-K1 none {"id":"\#(uuid(5))","type":"contract-agreed","data":{"requirement":"R1","commissioner":"LA1","provider":"P1","start":"2026-10-01","payment":{"model":"task-and-time","unitRatePence":1999,"quality":{"ratings":[{"rating":"outstanding","upliftBp":300}]}}}}"#,
        #"APPEND contract-K1 1 [{"id":"\#(uuid(6))","type":"service-delivered","data":{"period":"2026-10","units":10}},{"id":"\#(uuid(7))","type":"service-delivered","data":{"period":"2026-11","units":10}}]"#,
    ]

    static let queries = ["payments provider P1", "payments commissioner LA1", "payments contract K1"]

    /// The `due.total` of the summary's totals (or the provider's `asContractor` totals) of each query.
    static func dueTotals(_ client: LineClient, after position: Int) throws -> [String] {
        try queries.map { query in
            try client.send("QUERY AFTER \(position) \(query)")
            let end = try #require(try client.readSequence(timeout: 30).last)
            let match = try #require(
                end.firstMatch(of: /"(?:totals|asContractor)":\{[^{]*"due":\{[^}]*"total":(-?\d+)\}/)
            )
            return String(match.1)
        }
    }

    @Test("a new rating reaches the read models' answers, as the log's and a store written afresh give them")
    func ratingChange() throws {
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        try daemon.start()
        let client = try daemon.connect()
        for line in Self.history { #expect(try client.request(line).hasPrefix("OK "), "\(line)") }
        // Two months of 10 x 1,999 = 19,990, good: no adjustment.
        #expect(try Self.dueTotals(client, after: 7) == ["39980", "39980", "39980"])
        let rating =
            #"APPEND provider-P1 1 {"id":"\#(uuid(8))","type":"provider-rating-changed","data":{"regulator":"cqc","rating":"outstanding","effective":"2026-11-15"}}"#
        #expect(try client.request(rating).hasPrefix("OK "))
        // November, rated outstanding on its last day: + 599.7 -> 600.
        #expect(try Self.dueTotals(client, after: 8) == ["40580", "40580", "40580"])

        #expect(daemon.stop() == 0)
        try FileManager.default.removeItem(atPath: daemon.dataDirectory + "/read-models")
        try daemon.start()
        #expect(try Self.dueTotals(try daemon.connect(), after: 8) == ["40580", "40580", "40580"])
    }
}
