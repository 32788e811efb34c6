import Commissioning
import LedgerJSON
import Testing

@Suite("Events read in place from their stored JSON")
struct StoredEventTests {
    /// `event` as the daemon reads it back from the log: every field read in place from its parsed envelope.
    static func stored(_ event: DomainEvent) throws -> DomainEvent {
        let envelope: JSONValue = [
            "stream": .string(event.stream), "id": .string(event.id), "type": .string(event.type),
            "recorded": .string(event.recorded), "data": event.data, "meta": event.meta,
        ]
        return try stored(envelope.canonicalBytes, position: event.position, version: event.version)
    }

    /// The event of the envelope `bytes`, read in place.
    static func stored(_ bytes: [UInt8], position: UInt64, version: UInt64 = 1) throws -> DomainEvent {
        let root = try JSONDocument.parsing(bytes).root
        return DomainEvent(
            position: position,
            stream: try #require(root["stream"]),
            version: version,
            id: try #require(root["id"]),
            type: try #require(root["type"]),
            recorded: try #require(root["recorded"]),
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

    @Test("a stream name read in place, plain or written with escapes, names the entity its text names")
    func storedStream() throws {
        let registration =
            #"{"name":"Harbour Care","rating":"good","regulator":"cqc","scale":"small","voluntary":false}"#
        func provider(_ stream: String) throws -> Projections {
            let envelope = [
                #"{"stream":"\#(stream)","id":"019b95e6-0c09-7fac-998d-16c001c8f3d0","#,
                #""type":"provider-registered","recorded":"2026-12-01T00:00:00.000000Z","#,
                #""data":\#(registration),"meta":{}}"#,
            ].joined()
            var projections = Projections()
            projections.apply(try Self.stored(Array(envelope.utf8), position: 1))
            return projections
        }
        let plain = try provider("provider-P1")
        #expect(plain == (try provider(#"provider-\u00501"#)))
        #expect(plain != (try provider("provider-P2")))
        // Asked for, a stream name written with escapes reads back as its text.
        let escaped = #"{"stream":"case-\u0043","id":"x","type":"t","recorded":"r","data":{},"meta":{}}"#
        #expect(try Self.stored(Array(escaped.utf8), position: 1).stream == "case-C")
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
