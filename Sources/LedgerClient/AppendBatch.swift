import LedgerJSON
import LedgerWire

/// One `APPEND`: events for one stream, written atomically under one expected-version condition.
public struct AppendBatch: Sendable, Hashable {
    /// The stream the events go to.
    public var stream: String
    /// The condition on the stream's version before the append.
    public var expected: ExpectedVersion
    /// Event objects `{"id","type","data","meta"}`.
    public var events: [JSONValue]

    /// A batch of `events` for `stream`, appended only when the stream satisfies `expected`.
    public init(stream: String, expected: ExpectedVersion = .any, events: [JSONValue]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}
