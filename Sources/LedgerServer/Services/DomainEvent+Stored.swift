import Commissioning
import EventLog

extension DomainEvent {
    /// The event at `position` as the projections see it, read in place from its stored envelope.
    init(_ envelope: StoredEnvelope, at position: UInt64) {
        self.init(
            position: position,
            stream: envelope.streamName,
            version: envelope.version,
            id: envelope.id,
            type: envelope.type,
            recorded: envelope.recorded,
            storedData: envelope.data,
            storedMeta: envelope.meta
        )
    }
}

extension EventLog {
    /// The leaf hash of the event at `position`, as audit entries show it (nil past the head).
    func leafHashForQuery(at position: UInt64) throws(QueryError) -> String? {
        do {
            return try leafHashes(position...position).first?.description
        } catch {
            throw .internal("cannot read the leaf hash at position \(position): \(error)")
        }
    }
}
