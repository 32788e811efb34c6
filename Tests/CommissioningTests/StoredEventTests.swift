import Commissioning
import LedgerJSON
import Testing

@Suite("Events read in place from their stored JSON")
struct StoredEventTests {
    /// `event` as the daemon reads it back from the log: `data` and `meta` read in place from parsed JSON text.
    static func stored(_ event: DomainEvent) throws -> DomainEvent {
        let envelope: JSONValue = ["data": event.data, "meta": event.meta]
        let root = try JSONDocument.parsing(envelope.canonicalBytes).root
        return DomainEvent(
            position: event.position,
            stream: event.stream,
            version: event.version,
            id: event.id,
            type: event.type,
            recorded: event.recorded,
            storedData: try #require(root["data"]),
            storedMeta: try #require(root["meta"])
        )
    }

    @Test("a scenario folded in place, prepared ahead or not, gives the state that folding parsed values gives")
    func scenario() throws {
        let fixture = ScenarioFixture(seed: 31, size: StateCodingTests.size)
        var values = Projections()
        var inPlace = Projections()
        var prepared = Projections()
        for event in fixture.events {
            values.apply(event)
            let stored = try Self.stored(event)
            #expect(stored.data == event.data)
            inPlace.apply(stored)
            prepared.apply(stored.prepared())
        }
        #expect(inPlace == values)
        #expect(prepared == values)
        #expect(inPlace.encoded() == values.encoded())
    }

    @Test("events with a field replaced by a hostile value are recorded or skipped alike, in place or parsed")
    func hostileFields() throws {
        let fixture = ScenarioFixture(seed: 23, size: .tiny)
        var values = Projections()
        var inPlace = Projections()
        var position: UInt64 = 0
        for (index, event) in fixture.events.enumerated() {
            var variants = [event]
            if index % 2 == 0, case .object(let members) = event.data {
                for key in members.keys.sorted() {
                    for replacement in RobustnessTests.replacements {
                        var data = members
                        data[key] = replacement
                        var mutated = event
                        mutated.data = .object(data)
                        variants.append(mutated)
                    }
                }
            }
            for var variant in variants {
                position += 1
                variant.position = position
                values.apply(variant)
                inPlace.apply(try Self.stored(variant).prepared())
            }
        }
        #expect(inPlace.position == position)
        #expect(inPlace == values)
    }

    @Test("changing a prepared event's type, stream or data drops its decoding")
    func staleDecoding() throws {
        let fixture = ScenarioFixture(seed: 3, size: .tiny)
        let events = fixture.events.prefix(40)
        var expected = Projections()
        var changed = Projections()
        for event in events {
            var broken = event
            broken.data = ["unexpected": true]
            expected.apply(broken)
            var prepared = event.prepared()
            prepared.data = ["unexpected": true]
            changed.apply(prepared)
        }
        #expect(changed == expected)
        #expect(
            changed
                != {
                    var folded = Projections()
                    for event in events { folded.apply(event) }
                    return folded
                }()
        )
        let first = try #require(events.first)
        var retyped = first.prepared()
        retyped.type = "x-local-note"
        var moved = first.prepared()
        moved.stream = "case-elsewhere"
        for event in [retyped, moved] {
            var projections = Projections()
            projections.apply(event)
            var plain = Projections()
            var unprepared = event
            unprepared.data = first.data
            plain.apply(unprepared)
            #expect(projections == plain)
        }
    }
}
