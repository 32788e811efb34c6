extension Projections {
    /// The projections of a part of the log, as of `position`: `events` (in log order, none after `position`) folded
    /// as the whole log folds them, with `recorded` (the time of the event at `position`) as the last recorded time.
    ///
    /// A query about one entity's history answers from these exactly as from the whole log's projections at
    /// `position` when `events` hold every stream the answer reads (`HistoryLinks.streams(answering:)`).
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
}
