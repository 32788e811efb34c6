import Commissioning
import EventLog
import LedgerWire

/// The queries about one entity's history (`payments contract <id> [period]`, `audit case|requirement|contract <id>`),
/// answered from the log itself: the streams the answer reads (named by the `HistoryLinks` kept beside the live
/// projections) are read from the log and folded on their own, as of the links' position, so the answer is the one the
/// live projections give at that position. It never waits for the live projections, and its cost is the entity's
/// events, whatever the size of the log.
struct EntityQueries {
    let log: EventLog

    /// Answers `arguments` from `streams` (the streams the answer reads) as the projections at `position` would.
    func answer(_ arguments: [String], streams: [String], at position: UInt64) throws(QueryError) -> QueryResult {
        var events = [DomainEvent]()
        for stream in streams { events += try read(stream, through: position) }
        events.sort { $0.position < $1.position }
        let projections = Projections(part: events, position: position, recorded: try recorded(at: position))
        return try projections.query(arguments) { (position) throws(QueryError) in
            try log.leafHashForQuery(at: position)
        }
    }

    /// The events of `stream` at or before `position` (none for a name no stream can have).
    private func read(_ stream: String, through position: UInt64) throws(QueryError) -> [DomainEvent] {
        guard Naming.isValid(stream) else { return [] }
        do {
            return try log.read(stream: stream, limit: .max).prefix { $0.position <= position }.map {
                (event) throws(EventLogError) in DomainEvent(try event.envelope(), at: event.position)
            }
        } catch {
            throw .internal("cannot read \(stream): \(error)")
        }
    }

    /// The recorded time of the event at `position` ("" at position 0).
    private func recorded(at position: UInt64) throws(QueryError) -> String {
        guard position > 0 else { return "" }
        do {
            guard let event = try log.readAll(from: position, limit: 1).first else { return "" }
            return try event.envelope().recorded.stringValue ?? ""
        } catch {
            throw .internal("cannot read the event at position \(position): \(error)")
        }
    }
}
