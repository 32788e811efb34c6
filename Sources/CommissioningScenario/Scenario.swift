import LedgerJSON

/// A deterministic, seeded generator of realistic commissioning events in a valid order: commissioners, providers
/// (mostly SMEs) and consortia first, then cases through their whole life cycle, several in progress at once, with
/// spot purchases, direct awards, non-top-ranked selections, rejected and withdrawn verifications, recoveries,
/// late and missing payments, and corrections.
///
/// Every event passes `Catalogue.validate`, and the streams it references are created earlier. The same seed and
/// size always give the same events, ids included. `reckoning` holds totals computed from the generator's own
/// choices, independently of the projections.
public struct Scenario: Sendable {
    private struct Lane {
        var events: [ScriptedEvent]
        var index = 0
        var ids: [Int: String] = [:]
    }

    /// What the generator reckoned so far; complete once `next()` has returned nil.
    public private(set) var reckoning = ScenarioReckoning()
    /// How much it generates.
    public let size: ScenarioSize
    private var random: ScenarioRandom
    private var clock = SyntheticClock()
    private let population: Population
    private var setupIndex = 0
    /// Cases begun so far, of `size.cases`: a measure of progress (how many events a scenario has is known only at its
    /// end).
    public private(set) var casesStarted = 0
    private var lanes: [Lane] = []

    /// A scenario of `size` whose every choice follows from `seed`.
    public init(seed: UInt64, size: ScenarioSize) {
        self.size = size
        random = ScenarioRandom(seed: seed)
        population = Population(size: size, random: &random)
    }

    /// The next event, or nil when every case has run its course.
    public mutating func next() -> ProposedDomainEvent? {
        if setupIndex < population.events.count {
            setupIndex += 1
            return emit(population.events[setupIndex - 1], ids: [:])
        }
        if random.chance(1), let rating = ratingChange() { return emit(rating, ids: [:]) }
        while lanes.count < size.concurrentCases, casesStarted < size.cases {
            casesStarted += 1
            let script = CaseScript(
                number: casesStarted,
                population: population,
                random: &random,
                reckoning: &reckoning
            )
            lanes.append(Lane(events: script.events))
        }
        guard !lanes.isEmpty else { return nil }
        let laneIndex = random.int(0...lanes.count - 1)
        let scripted = lanes[laneIndex].events[lanes[laneIndex].index]
        lanes[laneIndex].index += 1
        let event = emit(scripted, ids: lanes[laneIndex].ids)
        if let label = scripted.label { lanes[laneIndex].ids[label] = event.id }
        if lanes[laneIndex].index == lanes[laneIndex].events.count { lanes.remove(at: laneIndex) }
        return event
    }

    private mutating func ratingChange() -> ScriptedEvent? {
        guard !population.rerated.isEmpty else { return nil }
        let provider = random.pick(population.rerated)
        let rating = random.weighted([
            ("outstanding", 10), ("good", 60), ("requires-improvement", 25), ("inadequate", 5),
        ])
        return ScriptedEvent(
            stream: "provider-\(provider)",
            type: "provider-rating-changed",
            data: [
                "regulator": "cqc", "rating": .string(rating),
                "effective": .string(CaseScript.day(2026 * 12 + random.int(0...17), plus: random.int(1...28))),
            ],
            actor: "registrar:market"
        )
    }

    private mutating func emit(_ scripted: ScriptedEvent, ids: [Int: String]) -> ProposedDomainEvent {
        var data = scripted.data
        if let reference = scripted.reference, case .object(var members) = data {
            members[reference.field] = ids[reference.label].map { .string($0) }
            data = .object(members)
        }
        let id = clock.nextID(&random)
        reckoning.events += 1
        return ProposedDomainEvent(
            stream: scripted.stream,
            type: scripted.type,
            id: id,
            data: data,
            meta: ["actor": .string(scripted.actor)],
            milliseconds: clock.milliseconds
        )
    }
}
