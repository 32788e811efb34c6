/// What `STREAM` tells of a stream without reading its events.
public struct StreamInfo: Sendable, Hashable {
    public var stream: String
    /// Its current version: the number of its events (0 when it has none).
    public var version: UInt64
    /// The log positions of its first and last events (nil when it has none).
    public var first: UInt64?
    public var last: UInt64?

    public init(stream: String, version: UInt64, first: UInt64?, last: UInt64?) {
        self.stream = stream
        self.version = version
        self.first = first
        self.last = last
    }
}
