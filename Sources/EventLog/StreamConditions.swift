/// What an append needs of streams besides its expected version, checked in the write transaction so that it holds
/// against everything committed before it (including earlier appends in the same group commit).
///
/// The log knows nothing of what streams mean; a caller (the daemon's event catalogue) uses this to say "this event
/// creates its entity" or "this event refers to that entity".
public struct StreamConditions: Sendable, Hashable {
    /// Whether the request's own stream must be new or must already exist.
    public enum Presence: Sendable, Hashable {
        /// The stream must have no events: the request's first event creates it.
        case new
        /// The stream must already have events.
        case existing
    }

    /// Another stream an event names, which must already exist.
    public struct Reference: Sendable, Hashable {
        /// The stream that must exist.
        public var stream: String
        /// The event in the batch that names it (0-based).
        public var index: Int
        /// The field of that event that names it, for the error.
        public var field: String

        public init(stream: String, index: Int, field: String) {
            self.stream = stream
            self.index = index
            self.field = field
        }
    }

    /// The condition on the request's own stream, if any.
    public var ownStream: Presence?
    /// Streams that must already exist.
    public var references: [Reference]

    /// No conditions.
    public static let none = StreamConditions()

    public init(ownStream: Presence? = nil, references: [Reference] = []) {
        self.ownStream = ownStream
        self.references = references
    }
}
