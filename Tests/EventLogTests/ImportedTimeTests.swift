import EventLog
import LedgerJSON
import LedgerWire
import Testing

@Suite("Imported recorded times")
struct ImportedTimeTests {
    private func proposed(_ recorded: String, id: EventID = .v7()) throws -> ProposedEvent {
        try ProposedEvent(
            json: ["id": .string(id.description), "type": "x-t", "data": [:], "recorded": .string(recorded)]
                as JSONValue,
            allowRecorded: true
        )
    }

    @Test("recorded times parse only in the stored form and round-trip")
    func parsing() {
        #expect(RecordedTime("2026-11-22T20:55:00.123456Z")?.description == "2026-11-22T20:55:00.123456Z")
        #expect(RecordedTime("2024-02-29T00:00:00.000000Z") != nil)
        for bad in ["2026-02-30T00:00:00.000000Z", "2026-11-22 20:55:00.123456Z", "2026-11-22T20:55:00Z", ""] {
            #expect(RecordedTime(bad) == nil, "\(bad)")
        }
    }

    @Test("an import keeps its recorded time; only when allowed; never backwards")
    func importedTimes() throws {
        #expect(throws: EventLogError.self) {
            try ProposedEvent(
                json: ["id": .string(EventID.v7().description), "type": "x-t", "data": [:], "recorded": "x"]
                    as JSONValue
            )
        }
        let fixture = try LogFixture()
        _ = try fixture.log.append(request("s", .any, [try proposed("2026-01-01T00:00:00.000001Z")]))
        #expect(try fixture.log.event(at: 1)?.decoded().recorded == "2026-01-01T00:00:00.000001Z")
        let backwards = fixture.log.append([request("s", .any, [try proposed("2025-12-31T23:59:59.999999Z")])])
        guard case .failure(.invalidEvent(0, "recorded", _)) = backwards[0] else {
            Issue.record("expected the earlier time to be refused, got \(backwards[0])")
            return
        }
        #expect(fixture.log.head.position == 1)
    }
}
