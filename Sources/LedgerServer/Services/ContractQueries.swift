import Commissioning
import EventLog
import LedgerWire

/// The queries about one contract (`payments contract <id> [period]`, `audit contract <id>`), answered from the log
/// itself instead of the live projections: the contract's stream and the streams it refers to (its requirement, the
/// consortium holding it, and for its audit the requirement's case) are read and folded on their own, as of the live
/// projections' position, so the answer is the one the live projections would give. It never holds the projections'
/// lock, and its cost is the contract's events, whatever the size of the log.
struct ContractQueries {
    let log: EventLog

    /// The contract `arguments` ask about, when they are one of these queries.
    static func contract(in arguments: [String]) -> String? {
        guard arguments.count >= 3, arguments[1] == "contract" else { return nil }
        switch arguments[0] {
        case "payments" where arguments.count <= 4: return arguments[2]
        case "audit" where arguments.count == 3: return arguments[2]
        default: return nil
        }
    }

    /// Answers `arguments`, which ask about contract `id`, as the projections at `position` would.
    func answer(_ arguments: [String], contract id: String, at position: UInt64) throws(QueryError) -> QueryResult {
        var events = try stream(.contract, id, through: position)
        let alone = Projections(part: events, position: position, recorded: "")
        if let references = alone.references(ofContract: id) {
            events += try stream(.requirement, references.requirement, through: position)
            if let consortium = references.consortium {
                events += try stream(.consortium, consortium, through: position)
            }
            if arguments[0] == "audit",
                let caseID = Projections(part: Self.inLogOrder(events), position: position, recorded: "")
                    .caseID(ofRequirement: references.requirement)
            {
                events += try stream(.case, caseID, through: position)
            }
        }
        let projections = Projections(
            part: Self.inLogOrder(events),
            position: position,
            recorded: try recorded(at: position)
        )
        return try projections.query(arguments) { (position) throws(QueryError) in
            try log.leafHashForQuery(at: position)
        }
    }

    private static func inLogOrder(_ events: [DomainEvent]) -> [DomainEvent] {
        events.sorted { $0.position < $1.position }
    }

    /// The events of the entity's stream at or before `position` (none for an id no stream can have).
    private func stream(_ kind: EntityKind, _ id: String, through position: UInt64) throws(QueryError) -> [DomainEvent]
    {
        let name = kind.stream(id)
        guard Naming.isValid(name) else { return [] }
        do {
            return try log.read(stream: name, limit: .max).prefix { $0.position <= position }.map {
                (event) throws(EventLogError) in DomainEvent(try event.envelope(), at: event.position)
            }
        } catch {
            throw .internal("cannot read \(name): \(error)")
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
