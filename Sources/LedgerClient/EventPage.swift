/// One page of a `READ`, `READBACK` or `READALL`: the events, then where to continue.
public struct EventPage: Sendable, Hashable {
    /// The events in order, each with its exact stored bytes.
    public var events: [LedgerEvent]
    /// The version (for a stream read) or position (for a log read) to continue from.
    public var next: UInt64

    /// A page of `events` continuing at `next`.
    public init(events: [LedgerEvent], next: UInt64) {
        self.events = events
        self.next = next
    }
}
