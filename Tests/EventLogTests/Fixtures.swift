import EventLog
import LMDB
import LedgerJSON
import LedgerTestSupport
import LedgerWire

/// A log in a fresh temporary directory.
struct LogFixture {
    let directory: TemporaryDirectory
    let log: EventLog

    init(mapSize: Int = 64 << 20) throws {
        directory = try TemporaryDirectory()
        log = try Self.open(directory.path, mapSize: mapSize)
    }

    static func open(_ path: String, mapSize: Int = 64 << 20) throws -> EventLog {
        var options = Environment.Options()
        options.mapSize = mapSize
        return try EventLog(configuration: .init(directory: path, environment: options))
    }

    /// Opens the log again once a writer's thread has let go of it: the thread ends just after `shutdown()` returns.
    static func reopen(_ path: String) async throws -> EventLog {
        for _ in 0..<100 {
            if let log = try? open(path) { return log }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try open(path)
    }
}

/// An event with a fresh v7 id.
func event(_ type: String = "thing-happened", _ data: JSONValue = ["n": 1], id: EventID = .v7()) -> ProposedEvent {
    // The arguments are valid by construction.
    try! ProposedEvent(id: id.description, type: type, data: data, meta: ["actor": "test"])
}

func request(_ stream: String, _ expected: ExpectedVersion = .any, _ events: [ProposedEvent]) -> AppendRequest {
    try! AppendRequest(stream: stream, expected: expected, events: events)
}
