import LedgerJSON

/// The payment, audit, quality and market projections: a pure, deterministic fold over committed events.
///
/// The fold keeps normalized facts (entities, offers, evaluations, selections, contracts, deliveries, measurements
/// with their verification decisions, approvals, payments and retracted event ids); queries derive every figure from
/// them, so a `correction` makes each projection behave as if the retracted event never happened.
public struct Projections: Sendable, Equatable {
    /// The position of the last applied event (0 before any).
    public internal(set) var position: UInt64 = 0
    /// The `recorded` time of the last applied event: "now" for overdue payments.
    var lastRecorded: String {
        get { lastTexts.recorded }
        set { lastTexts = EventTexts(id: "", recorded: newValue) }
    }
    /// The last applied event's texts, of which only `recorded` counts (`==` compares no more).
    private var lastTexts = EventTexts(id: "", recorded: "")
    var facts = Facts()

    /// What a fold keeps.
    public enum Scope: String, Sendable {
        /// Every fact: these projections alone answer every query.
        case everything
        /// The registries (commissioners, providers and consortia, with the corrections on their streams) and the
        /// facts that create cases, requirements and contracts and link them to each other. The rest of their
        /// histories stays in the log, read from there when needed (`withHistories(of:)`): the read models keep what
        /// the queries across the log read.
        case registries
    }

    /// What these projections keep.
    public var scope: Scope { facts.keepsHistories ? .everything : .registries }

    /// Empty projections, before the first event.
    public init(scope: Scope = .everything) {
        facts.keepsHistories = scope == .everything
    }

    /// Applies the next committed event.
    ///
    /// Never throws: events were validated on append; one that does not decode, or whose entity is missing (or
    /// already exists, for a creating event), is skipped, but the position still advances. Events at or before the
    /// current position are ignored, so a replay is harmless.
    public mutating func apply(_ event: DomainEvent) {
        var event = event
        record(&event)
    }

    /// Applies `events` in order (those after `last` excepted), taking what each records out of it instead of copying
    /// it: the events are left without their catalogue decoding (see `DomainEvent.prepare()`).
    public mutating func apply(_ events: inout [DomainEvent], through last: UInt64 = .max) {
        for index in events.indices where events[index].position <= last { record(&events[index]) }
    }

    /// Comparisons that all hold exactly when these projections equal `other` (as `==` decides, so their encodings
    /// are identical, byte for byte). They are independent: a caller may run them concurrently (a rebuild does).
    public func comparisons(with other: Projections) -> [@Sendable () -> Bool] {
        guard position == other.position, lastRecorded == other.lastRecorded else { return [{ false }] }
        return facts.comparisons(with: other.facts)
    }

    /// Keeps the same facts in less memory: lists of facts grow by doubling, so after a long replay about a third of
    /// their storage is spare, and this moves each into storage of its own size. It copies every fact once, so call
    /// it when a long replay (a catch-up, a restore, a rebuild) is over, not after every event.
    public mutating func compact() {
        facts.compact()
    }

    /// Applies `event`, taking its decoding; returns whether it was recorded as a fact.
    @discardableResult
    mutating func record(_ event: inout DomainEvent) -> Bool {
        guard event.position > position else { return false }
        position = event.position
        lastTexts = event.texts
        return recordFact(&event)
    }

    /// Records `event`'s fact, taking its decoding, whatever the position; returns whether it was recorded.
    @discardableResult
    private mutating func recordFact(_ event: inout DomainEvent) -> Bool {
        guard case .fact(let id, let decoded, let actor) = event.takeDecoding() else { return false }
        let stamp = Stamp(position: event.position, texts: event.texts, actor: actor)
        return facts.record(decoded, id: id, stream: event.stream, stamp: stamp)
    }

    /// These projections (of any scope) with the histories of cases, requirements and contracts that `events` hold
    /// recorded in full, and no others: `events` are the streams of some cases, requirements and contracts (no
    /// registry's), in log order, none after `position`. They answer for those entities as the whole log's
    /// projections do, when `events` hold every stream the answer reads (`HistoryLinks.streams(answering:)`).
    public func withHistories(of events: [DomainEvent]) -> Projections {
        var full = self
        full.facts.keepsHistories = true
        full.facts.cases = [:]
        full.facts.requirements = [:]
        full.facts.contracts = [:]
        for var event in events {
            precondition(event.position <= position, "a history event after the projections' position")
            precondition(
                EntityKind.parse(stream: event.stream)?.kind.isRegistry != true,
                "a registry's event among the histories"
            )
            full.recordFact(&event)
        }
        return full
    }

    public static func == (left: Projections, right: Projections) -> Bool {
        left.position == right.position && left.lastRecorded == right.lastRecorded && left.facts == right.facts
    }

    /// The day of the last applied event, used as "today" for overdue payments.
    var today: Day? { Day(String(lastRecorded.prefix(10))) }
}
