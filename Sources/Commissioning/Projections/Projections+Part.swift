extension Projections {
    /// The projections of a part of the log, as of `position`: `events` (in log order, none after `position`) folded
    /// as the whole log folds them, with `recorded` (the time of the event at `position`) as the last recorded time.
    ///
    /// A query about an entity answers from these exactly as from the whole log's projections at `position` when
    /// `events` hold every stream the answer reads: for a contract, its own stream, its requirement's and, when a
    /// consortium holds it, the consortium's; for its audit, its requirement's case's too.
    public init(part events: [DomainEvent], position: UInt64, recorded: String) {
        self.init()
        for event in events {
            precondition(event.position <= position, "a part of the log as of \(position) holds a later event")
            var event = event
            record(&event)
        }
        self.position = position
        lastRecorded = recorded
    }

    /// The requirement and, when a consortium holds it, the consortium a contract of these projections refers to
    /// (nil when there is no such contract).
    public func references(ofContract id: String) -> (requirement: String, consortium: String?)? {
        guard let agreement = facts.contracts[id]?.agreement.value else { return nil }
        guard case .consortium(let consortium) = agreement.supplier else { return (agreement.requirement, nil) }
        return (agreement.requirement, consortium)
    }

    /// The case a requirement of these projections was published for (nil when there is no such requirement).
    public func caseID(ofRequirement id: String) -> String? {
        facts.requirements[id]?.publication.value.caseID
    }
}
