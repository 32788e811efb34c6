import EventLog
import Testing

@Suite("Stream conditions")
struct StreamConditionTests {
    private func conditional(
        _ stream: String,
        _ ownStream: StreamConditions.Presence?,
        references: [String] = []
    ) -> AppendRequest {
        let conditions = StreamConditions(
            ownStream: ownStream,
            references: references.map { .init(stream: $0, index: 0, field: "data.ref") }
        )
        return try! AppendRequest(stream: stream, expected: .any, events: [event()], conditions: conditions)
    }

    @Test("a creating event needs a new stream, others an existing one, and references must exist")
    func conditionsHold() throws {
        let fixture = try LogFixture()
        let log = fixture.log
        let results = log.append([
            conditional("contract-1", .existing),
            conditional("provider-1", .new),
            conditional("provider-1", .new),
            conditional("contract-1", .new, references: ["provider-1", "provider-2"]),
            conditional("contract-1", .new, references: ["provider-1"]),
            conditional("contract-1", .existing, references: ["provider-1"]),
        ])
        #expect(results.map { (try? $0.get())?.first } == [nil, 1, nil, nil, 2, 3])
        #expect(
            results[0] == .failure(.invalidEvent(index: 0, field: "stream", message: "contract-1 does not exist"))
        )
        #expect(
            results[2]
                == .failure(
                    .invalidEvent(
                        index: 0,
                        field: "stream",
                        message: "provider-1 already exists; this event creates it"
                    )
                )
        )
        #expect(
            results[3]
                == .failure(
                    .invalidEvent(index: 0, field: "data.ref", message: "refers to provider-2, which does not exist")
                )
        )
        #expect(try log.readAll(from: 1, limit: 10).count == 3)
    }
}
