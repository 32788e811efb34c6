import LedgerWire

/// An atomic append of one or more events to one stream.
public struct AppendRequest: Sendable, Hashable {
    /// The stream name (see `Naming`).
    public let stream: String
    /// The condition on the stream's current version.
    public let expected: ExpectedVersion
    /// The events, in order; all are written or none.
    public let events: [ProposedEvent]
    /// What the append needs of its own and other streams.
    public let conditions: StreamConditions
    /// The log position the first event must take (a follower storing its primary's log at the same positions): a
    /// request that would go elsewhere is refused with `EventLogError.invalidArgument`, writing nothing.
    public let position: UInt64?

    /// The bytes its events bring (data, meta, id and type, or a replicated envelope), for the writer's batch limit;
    /// counted once, when the request is made, not under the writer's queue lock.
    public let byteCount: Int

    /// The largest number of events in one request.
    public static let maxEvents = 10_000

    /// Checks the stream name, the batch size and that ids are unique within the batch.
    /// - Throws: `EventLogError.invalidStreamName`, `.invalidBatch` or `.invalidEvent`.
    public init(
        stream: String,
        expected: ExpectedVersion,
        events: [ProposedEvent],
        conditions: StreamConditions = .none,
        position: UInt64? = nil
    ) throws(EventLogError) {
        guard Naming.isValid(stream) else { throw .invalidStreamName(stream) }
        guard !events.isEmpty else { throw .invalidBatch("an append needs at least one event") }
        guard events.count <= Self.maxEvents else {
            throw .invalidBatch("\(events.count) events in one append; the limit is \(Self.maxEvents)")
        }
        if events.count > 1 {
            var seen = Set<EventID>()
            for (index, event) in events.enumerated() where !seen.insert(event.id).inserted {
                throw .invalidEvent(index: index, field: "id", message: "\(event.id) appears twice in this batch")
            }
        }
        self.stream = stream
        self.expected = expected
        self.events = events
        self.conditions = conditions
        self.position = position
        byteCount = events.reduce(0) {
            $0 + $1.dataBytes.count + $1.metaBytes.count + $1.idAndType.count + ($1.stored?.count ?? 0)
        }
    }
}
