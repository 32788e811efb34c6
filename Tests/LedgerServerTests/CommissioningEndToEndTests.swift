import CommissioningScenario
import LedgerJSON
import LedgerTestSupport
import Testing

/// A generated commissioning scenario appended through the socket: every event passes the catalogue, the query
/// answers equal the generator's own independent reckoning, a rebuild equals the incremental state, and a restart
/// resumes the projections from their checkpoint.
@Suite("Commissioning end to end", .serialized)
struct CommissioningEndToEndTests {
    static let size = ScenarioSize(commissioners: 3, providers: 40, consortia: 3, cases: 60, concurrentCases: 6)

    @Test(
        "scenario through the socket: queries match the reckoning, restarts resume from checkpoints, REBUILD is identical",
        .timeLimit(.minutes(3))
    )
    func scenario() throws {
        var scenario = Scenario(seed: 12, size: Self.size)
        var lines = [String]()
        while let event = scenario.next() {
            let object: JSONValue = [
                "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
            ]
            lines.append("APPEND \(event.stream) any \(object.canonicalString)")
        }
        let reckoning = scenario.reckoning
        // The history uses the models a rebuild most easily gets wrong: handovers, pooled budgets, shared work.
        for marker in [#""type":"contract-transferred""#, #""pool":["#, #""sharedBy":["#] {
            #expect(lines.contains { $0.contains(marker) }, "no \(marker) in the history: \(lines.count) events")
        }
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { _ = daemon.stop() }
        // The first part, a restart (a checkpoint holding every fact so far), the rest, another restart (a checkpoint
        // that added only the new facts to the stored ones).
        let part = lines.count * 2 / 3
        try append(lines[..<part], to: daemon.connect())
        #expect(daemon.stop() == 0)
        try daemon.start()
        let client = try daemon.connect()
        try append(lines[part...], to: client)
        let head = lines.count
        try checkAnswers(client: client, reckoning: reckoning, after: head)
        let histories = try historyAnswers(client, lines: lines, after: head)
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("position=\(part) [LedgerServer] projections restored from their checkpoint"))

        try daemon.start()
        let again = try daemon.connect()
        try checkAnswers(client: again, reckoning: reckoning, after: head)
        #expect(
            try historyAnswers(again, lines: lines, after: head) == histories,
            "queries about one entity answer the same from restored projections"
        )
        let status = try JSONParser.parse(String(try again.request("STATUS").dropFirst(3)))
        #expect(status["projections"]?.arrayValue?.first?["position"]?.int64Value == Int64(head))
        #expect(
            daemon.log.contains("position=\(head) [LedgerServer] projections restored from their checkpoint"),
            "resumed from the checkpoint, not replayed: \(daemon.log)"
        )
        #expect(!daemon.log.contains("cannot read the projection checkpoint"))
        let rebuilt = try again.request("REBUILD commissioning", timeout: 60)
        #expect(rebuilt.hasPrefix(#"OK {"identical":true,"#), "\(rebuilt)")
        #expect(rebuilt.contains(#""position":\#(head),"#))
    }

    /// Appends `lines`, pipelined 500 at a time, expecting each to be accepted.
    private func append(_ lines: ArraySlice<String>, to client: LineClient) throws {
        for chunk in stride(from: lines.startIndex, to: lines.endIndex, by: 500) {
            let end = min(chunk + 500, lines.endIndex)
            for line in lines[chunk..<end] { try client.send(line) }
            for index in chunk..<end {
                let reply = try #require(try client.readLine(timeout: 30))
                try #require(reply.hasPrefix("OK "), "event \(index) refused: \(reply) for \(lines[index].prefix(200))")
            }
        }
    }

    private func checkAnswers(client: LineClient, reckoning: ScenarioReckoning, after head: Int) throws {
        #expect(reckoning.commissioners.count == 3)
        for (commissioner, expected) in reckoning.commissioners {
            let payments = try summary(client, "QUERY AFTER \(head) payments commissioner \(commissioner)")
            #expect(number(payments, "totals.due.total") == expected.duePence, "\(commissioner) due")
            #expect(number(payments, "totals.paid") == expected.paidPence, "\(commissioner) paid")
            #expect(number(payments, "memberPassThrough.due") == expected.memberDuePence, "\(commissioner) member due")
            #expect(
                number(payments, "memberPassThrough.paid") == expected.memberPaidPence,
                "\(commissioner) member paid"
            )
            #expect(number(payments, "totals.refunded") == expected.refundedPence, "\(commissioner) refunded")
            #expect(number(payments, "totals.credit") == expected.creditPence, "\(commissioner) credit")
            #expect(
                number(payments, "memberPassThrough.refunded") == expected.memberRefundedPence,
                "\(commissioner) member refunded"
            )
            #expect(
                number(payments, "memberPassThrough.credit") == expected.memberCreditPence,
                "\(commissioner) member credit"
            )
            let market = try summary(client, "QUERY market commissioner \(commissioner)")
            #expect(number(market, "requirements") == Int64(expected.requirements))
            #expect(number(market, "routes.spot-purchase") ?? 0 == Int64(expected.spotPurchases))
            #expect(number(market, "topRankedLost.count") == Int64(expected.topRankedLost))
            #expect(number(market, "spendPence") == expected.duePence)
        }
    }

    /// The answers to `audit case` and `payments contract` for the first 20 cases and contracts of `lines`.
    private func historyAnswers(_ client: LineClient, lines: [String], after head: Int) throws -> [[String]] {
        let streams = lines.map { $0.split(separator: " ")[1] }
        var seen = Set<Substring>()
        let entities = streams.filter { seen.insert($0).inserted }
        var answers = [[String]]()
        for (prefix, query) in [("case-", "audit case"), ("contract-", "payments contract")] {
            for stream in entities.filter({ $0.hasPrefix(prefix) }).prefix(20) {
                try client.send("QUERY AFTER \(head) \(query) \(stream.dropFirst(prefix.count))")
                let answer = try client.readSequence(timeout: 30)
                #expect(answer.last?.hasPrefix("END ") == true && answer.count > 1, "\(query) \(stream): \(answer)")
                answers.append(answer)
            }
        }
        return answers
    }

    /// Sends a query and returns its `END` summary.
    private func summary(_ client: LineClient, _ query: String) throws -> JSONValue {
        try client.send(query)
        let lines = try client.readSequence(timeout: 30)
        let last = try #require(lines.last)
        #expect(last.hasPrefix("END "), "\(query): \(last)")
        return try JSONParser.parse(String(last.dropFirst(4)))
    }

    private func number(_ value: JSONValue, _ path: String) -> Int64? {
        var current: JSONValue? = value
        for key in path.split(separator: ".") { current = current?[String(key)] }
        return current?.int64Value
    }
}
