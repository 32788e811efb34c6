import Commissioning
import CommissioningScenario
import LedgerJSON
import Testing

@Suite("Projection state encoding")
struct StateCodingTests {
    static let size = ScenarioSize(commissioners: 3, providers: 60, consortia: 4, cases: 120)
    static let fixture = ScenarioFixture(seed: 5, size: size)

    @Test("encode then decode gives equal projections and identical bytes")
    func roundTrip() throws {
        let projections = Self.fixture.projections()
        let bytes = projections.encoded()
        let decoded = try Projections(decoding: bytes)
        #expect(decoded == projections)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.position == projections.position)
    }

    @Test("applying all events at once equals applying them in two parts with an encode/decode between, byte for byte")
    func splitReplay() throws {
        let fixture = ScenarioFixture(seed: 9, size: Self.size)
        let whole = fixture.projections()
        for cut in [1, fixture.events.count / 3, fixture.events.count - 1] {
            var first = Projections()
            for event in fixture.events[..<cut] { first.apply(event) }
            var resumed = try Projections(decoding: first.encoded())
            for event in fixture.events[cut...] { resumed.apply(event) }
            #expect(resumed.encoded() == whole.encoded(), "cut at \(cut)")
            #expect(resumed == whole)
        }
    }

    @Test("a page applied at once (up to a position) equals its events applied one by one")
    func pageApply() {
        var events = Self.fixture.events
        let cut = UInt64(events.count / 2)
        var page = Projections()
        page.apply(&events, through: cut)
        var single = Projections()
        for event in Self.fixture.events where event.position <= cut { single.apply(event) }
        #expect(page == single)
        #expect(page.position == cut)
    }

    @Test("the concurrent comparison agrees with == on equal states and on states one fact apart")
    func concurrentComparison() throws {
        let whole = Self.fixture.projections()
        #expect(whole.comparisons(with: try Projections(decoding: whole.encoded())).allSatisfy { $0() })
        for type in ["provider-registered", "need-assessed", "requirement-published", "service-delivered"] {
            let index = try #require(Self.fixture.events.lastIndex { $0.type == type })
            var events = Self.fixture.events
            let original = events[index]
            // An x- event in its place keeps the position and the last recorded time, and loses one fact.
            events[index] = DomainEvent(
                position: original.position,
                stream: original.stream,
                version: original.version,
                id: original.id,
                type: "x-note",
                recorded: original.recorded,
                data: [:]
            )
            var other = Projections()
            other.apply(&events)
            #expect(other != whole, "without the last \(type)")
            #expect(!other.comparisons(with: whole).allSatisfy { $0() }, "without the last \(type)")
            #expect(!whole.comparisons(with: other).allSatisfy { $0() }, "without the last \(type)")
        }
    }

    @Test(
        "state saved in parts (the facts up to one save, then those after it) restores exactly; a missing fact is refused"
    )
    func parts() throws {
        let fixture = ScenarioFixture(seed: 11, size: Self.size)
        let whole = fixture.projections()
        let cut = fixture.events.count / 2
        var first = Projections()
        for event in fixture.events[..<cut] { first.apply(event) }
        let earlier = first.encodedParts(after: 0, factsPerChunk: 7)
        let later = whole.encodedParts(after: first.position, factsPerChunk: 7)
        #expect(!later.chunks.isEmpty && later.chunks.allSatisfy { $0.firstPosition > first.position })

        var restorer = try Projections.StateRestorer(header: later.header)
        for chunk in earlier.chunks + later.chunks { try restorer.add(lines: chunk.lines) }
        let restored = try restorer.finish()
        #expect(restored == whole)
        #expect(restored.encoded() == whole.encoded())

        var incomplete = try Projections.StateRestorer(header: later.header)
        for chunk in (earlier.chunks + later.chunks).dropFirst(1) { try? incomplete.add(lines: chunk.lines) }
        #expect(throws: ProjectionStateError.self) { try incomplete.finish() }
    }

    @Test(
        "the registries' state, saved in parts, restores exactly, and so does every fact's into the registries alone"
    )
    func registries() throws {
        let fixture = ScenarioFixture(seed: 11, size: Self.size)
        let whole = fixture.projections()
        var registries = Projections(scope: .registries)
        let cut = fixture.events.count / 2
        for event in fixture.events[..<cut] { registries.apply(event) }
        let saved = registries.position
        let earlier = registries.encodedParts(after: 0, factsPerChunk: 7)
        for event in fixture.events[cut...] { registries.apply(event) }
        let later = registries.encodedParts(after: saved, factsPerChunk: 7)

        var restorer = try Projections.StateRestorer(header: later.header, scope: .registries)
        for chunk in earlier.chunks + later.chunks { try restorer.add(lines: chunk.lines) }
        let restored = try restorer.finish()
        #expect(restored == registries && restorer.savedScope == .registries && !restorer.savedMore)
        #expect(restored.encoded() == registries.encoded())

        var fromWhole = try Projections.StateRestorer(header: whole.encoded(), scope: .registries)
        #expect(try fromWhole.finish() == registries && fromWhole.savedScope == .everything && fromWhole.savedMore)
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: registries.encoded()) }
        #expect(HistoryLinks(registries) == HistoryLinks(whole))
        #expect(registries.encoded().count * 4 < whole.encoded().count)
    }

    @Test("query answers survive the round trip")
    func queriesSurvive() throws {
        let fixture = Self.fixture
        let projections = fixture.projections()
        let decoded = try Projections(decoding: projections.encoded())
        for commissioner in fixture.reckoning.commissioners.keys {
            #expect(
                try decoded.query(["payments", "commissioner", commissioner])
                    == projections.query(["payments", "commissioner", commissioner])
            )
            #expect(
                try decoded.query(["market", "commissioner", commissioner])
                    == projections.query(["market", "commissioner", commissioner])
            )
        }
    }

    @Test("x- events, malformed events and replays advance the position without changing the facts")
    func skipped() throws {
        var ledger = try LedgerFixture.standard()
        let before = ledger.projections.encoded()
        var projections = ledger.projections
        let position = projections.position
        projections.apply(
            DomainEvent(
                position: position + 1,
                stream: "case-C1",
                version: 2,
                id: "x",
                type: "x-note",
                recorded: "",
                data: [:]
            )
        )
        projections.apply(
            DomainEvent(
                position: position + 2,
                stream: "contract-K404",
                version: 1,
                id: "00000000-0000-7000-8000-0000000000ff",
                type: "service-delivered",
                recorded: "2026-10-02T00:00:00.000000Z",
                data: ["period": "2026-10", "units": 3]
            )
        )
        projections.apply(ledger.events[0])
        #expect(projections.position == position + 2)
        let decoded = try Projections(decoding: projections.encoded())
        #expect(decoded.position == position + 2)
        ledger.projections = decoded
        #expect(try ledger.projections.query(["payments", "commissioner", "LA1"]).rows.isEmpty)
        #expect(before != projections.encoded())
    }

    @Test("bytes that are not projection state are refused")
    func refused() {
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: Array("{}".utf8)) }
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: Array("not json".utf8)) }
        let header = #"{"format":2,"position":9,"recorded":""}"#
        #expect(throws: Never.self) { try Projections(decoding: Array(header.utf8)) }
        // Format 1 (before the leaf hashes left the facts for the log) is refused: the daemon then replays the log.
        let first = #"{"format":1,"position":9,"recorded":""}"#
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: Array(first.utf8)) }
        let lacking = header + "\n" + #"{"position":1}"#
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: Array(lacking.utf8)) }
        let orphan =
            header + "\n"
            + #"{"data":{"period":"2026-10","units":1},"id":"x","position":1,"recorded":"","stream":"contract-K1","type":"service-delivered"}"#
        #expect(throws: ProjectionStateError.self) { try Projections(decoding: Array(orphan.utf8)) }
    }
}
