/// Where an append's events were stored.
public struct AppendResult: Sendable, Hashable {
    /// The global position of the first event.
    public var first: UInt64
    /// The global position of the last event.
    public var last: UInt64
    /// The stream's version after the append (the last event's version).
    public var version: UInt64
    /// True when every event was already stored identically (a retry): nothing was written.
    public var duplicate: Bool

    /// A result with the given positions and version.
    public init(first: UInt64, last: UInt64, version: UInt64, duplicate: Bool) {
        self.first = first
        self.last = last
        self.version = version
        self.duplicate = duplicate
    }
}
