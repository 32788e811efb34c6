import Commissioning
import EventLog
import LedgerWire

/// Entities' histories read from the log itself: the events of some streams up to a position, in log order. The fold
/// keeps only the registries and links in memory (`Projections.Scope.registries`); what a query about one entity or
/// a read-model write needs of the rest is read here.
struct LogHistories {
    let log: EventLog
    /// The last position read.
    let position: UInt64

    /// The events of `streams` at or before `position`, in log order (none for a name no stream can have).
    func events(of streams: [String]) throws(EventLogError) -> [DomainEvent] {
        var events = [DomainEvent]()
        for stream in streams where Naming.isValid(stream) {
            for event in try log.read(stream: stream, limit: .max) {
                guard event.position <= position else { break }
                events.append(DomainEvent(try event.envelope(), at: event.position))
            }
        }
        if streams.count > 1 { events.sort { $0.position < $1.position } }
        return events
    }
}
