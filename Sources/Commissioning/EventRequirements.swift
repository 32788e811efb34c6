/// What must hold in the log for a valid event to be appended, beyond the event itself.
public struct EventRequirements: Sendable, Equatable {
    /// True when the event creates its entity: it must be the first event of its stream (e.g. provider-registered on
    /// provider-P1).
    public var createsEntity: Bool
    /// Entity streams that must already exist (e.g. "provider-P1", "case-C7"); the daemon checks them in the write
    /// transaction. For an event that does not create its entity, this includes its own stream.
    public var referencedStreams: [String]

    /// Requirements with the given values.
    public init(createsEntity: Bool, referencedStreams: [String]) {
        self.createsEntity = createsEntity
        self.referencedStreams = referencedStreams
    }
}
