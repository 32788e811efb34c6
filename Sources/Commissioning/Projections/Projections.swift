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

    /// Empty projections, before the first event.
    public init() {}

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
        guard case .fact(let id, let decoded, let actor) = event.takeDecoding() else { return false }
        let stamp = Stamp(position: event.position, texts: event.texts, actor: actor)
        return facts.record(decoded, id: id, stream: event.stream, stamp: stamp)
    }

    public static func == (left: Projections, right: Projections) -> Bool {
        left.position == right.position && left.lastRecorded == right.lastRecorded && left.facts == right.facts
    }

    /// The day of the last applied event, used as "today" for overdue payments.
    var today: Day? { Day(String(lastRecorded.prefix(10))) }
}
