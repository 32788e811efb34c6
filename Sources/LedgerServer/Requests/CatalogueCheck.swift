import Commissioning
import EventLog
import LedgerJSON

/// Checks proposed events against the event catalogue (`Protocols/events.md`) before they reach the writer, and turns
/// what they need of other streams into conditions the writer checks in its transaction.
enum CatalogueCheck {
    /// One event of an append as parsed from the wire.
    struct Event {
        var type: String
        var data: JSONNode
        /// Nil when the event has no `meta` (an empty object).
        var meta: JSONNode?
    }

    /// The stream conditions of an append whose events all pass the catalogue.
    /// - Throws: `EventLogError.invalidEvent` naming the event and field.
    static func conditions(stream: String, events: [Event]) throws(EventLogError) -> StreamConditions {
        var conditions = StreamConditions()
        var needsOwnStream = false
        for (index, event) in events.enumerated() {
            let requirements: EventRequirements
            do {
                requirements = try Catalogue.validate(
                    stream: stream,
                    type: event.type,
                    data: event.data,
                    meta: event.meta
                )
            } catch {
                throw .invalidEvent(index: index, field: error.field, message: error.message)
            }
            if requirements.createsEntity {
                guard index == 0 else {
                    throw .invalidEvent(
                        index: index,
                        field: "type",
                        message: "\(event.type) creates its entity, so it must be the first event of the append"
                    )
                }
                conditions.ownStream = .new
            }
            for referenced in requirements.referencedStreams {
                if referenced == stream {
                    needsOwnStream = true
                } else {
                    conditions.references.append(.init(stream: referenced, index: index, field: "data"))
                }
            }
        }
        if needsOwnStream, conditions.ownStream == nil { conditions.ownStream = .existing }
        return conditions
    }
}
