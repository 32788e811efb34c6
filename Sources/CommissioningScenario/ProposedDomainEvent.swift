import LedgerJSON

/// An event the scenario proposes for appending: where it goes, what it is, and its client-chosen id.
public struct ProposedDomainEvent: Sendable {
    /// The entity stream, e.g. `contract-K000042`.
    public var stream: String
    /// The event type, e.g. `service-delivered`.
    public var type: String
    /// A lowercase UUIDv7 text from the scenario's synthetic clock.
    public var id: String
    /// The event's data object.
    public var data: JSONValue
    /// The event's meta object (`actor`, `correlation`).
    public var meta: JSONValue
    /// The synthetic clock when the event was proposed: Unix time in milliseconds (the id's timestamp).
    public var milliseconds: UInt64
}
