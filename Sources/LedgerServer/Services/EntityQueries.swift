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
    /// A contract rewarding quality by rating reads its providers' streams too: they are read, and the streams folded
    /// again with them, once the first fold names them (`Projections.ratedProviderStreams`).
    func answer(_ arguments: [String], streams: [String], at position: UInt64) throws(QueryError) -> QueryResult {
        let recorded = try recorded(at: position)
        var projections = Projections(
            part: try events(of: streams, at: position),
            position: position,
            recorded: recorded
        )
        let providers = projections.ratedProviderStreams.subtracting(streams).sorted()
        if !providers.isEmpty {
            let events = try events(of: streams + providers, at: position)
            projections = Projections(part: events, position: position, recorded: recorded)
        }
        return try projections.query(arguments) { (position) throws(QueryError) in
            try log.leafHashForQuery(at: position)
        }
    }

    /// The events of `streams` up to `position`, in log order.
    private func events(of streams: [String], at position: UInt64) throws(QueryError) -> [DomainEvent] {
        do {
            return try LogHistories(log: log, position: position).events(of: streams)
        } catch {
            throw .internal("cannot read \(streams.joined(separator: ", ")): \(error)")
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
