/// Where an append's events were stored: what the writer reports, the server sends and the client returns.
public struct AppendResult: Sendable, Hashable {
    /// The position of the first event.
    public let first: UInt64
    /// The position of the last event.
    public let last: UInt64
    /// The stream's version after the last event.
    public let version: UInt64
    /// True when every event was already stored identically (a retry) and nothing new was written.
    public let duplicate: Bool

    public init(first: UInt64, last: UInt64, version: UInt64, duplicate: Bool) {
        self.first = first
        self.last = last
        self.version = version
        self.duplicate = duplicate
    }
}
