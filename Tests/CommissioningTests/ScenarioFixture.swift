import CivilCalendar
import Commissioning
import CommissioningScenario
import LedgerJSON

/// Turns scenario events into the events projections see, as the daemon would: positions, versions, recorded times.
struct ScenarioFixture {
    var events: [DomainEvent] = []
    var proposed: [ProposedDomainEvent] = []
    let reckoning: ScenarioReckoning

    init(seed: UInt64, size: ScenarioSize) {
        var scenario = Scenario(seed: seed, size: size)
        var versions = [String: UInt64]()
        while let event = scenario.next() {
            proposed.append(event)
            versions[event.stream, default: 0] += 1
            events.append(
                DomainEvent(
                    position: UInt64(events.count + 1),
                    stream: event.stream,
                    version: versions[event.stream] ?? 1,
                    id: event.id,
                    type: event.type,
                    recorded: Self.recorded(milliseconds: event.milliseconds),
                    data: event.data,
                    meta: event.meta
                )
            )
        }
        reckoning = scenario.reckoning
    }

    /// RFC 3339 UTC with microseconds for a Unix time in milliseconds.
    static func recorded(milliseconds: UInt64) -> String {
        let days = Int(milliseconds / 86_400_000)
        let inDay = Int(milliseconds % 86_400_000)
        let (year, month, day) = CivilDate.date(days: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):"
            + "\(pad(inDay / 60000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000 * 1000, 6))Z"
    }

    /// All events applied to fresh projections.
    func projections() -> Projections {
        var projections = Projections()
        for event in events { projections.apply(event) }
        return projections
    }
}
