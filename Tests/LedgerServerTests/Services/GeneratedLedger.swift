import Commissioning
import CommissioningScenario
import EventLog
import LedgerTestSupport

/// A log holding a generated commissioning history (corrections, recoveries, consortia and late payments), appended
/// directly, with the ids of every entity it names by kind.
struct GeneratedLedger {
    let directory: TemporaryDirectory
    let log: EventLog
    let entities: [EntityKind: Set<String>]

    init(prefix: String, seed: UInt64, size: ScenarioSize) throws {
        directory = try TemporaryDirectory(prefix: prefix)
        log = try EventLog(configuration: .init(directory: directory.path + "/data"))
        var scenario = Scenario(seed: seed, size: size)
        var requests = [AppendRequest]()
        var entities = [EntityKind: Set<String>]()
        while let event = scenario.next() {
            if let (kind, id) = EntityKind.parse(stream: event.stream) { entities[kind, default: []].insert(id) }
            requests.append(
                try AppendRequest(
                    stream: event.stream,
                    expected: .any,
                    events: [ProposedEvent(id: event.id, type: event.type, data: event.data, meta: event.meta)]
                )
            )
        }
        for result in log.append(requests) { _ = try result.get() }
        self.entities = entities
    }

    /// The ids of `kind`, sorted.
    func ids(_ kind: EntityKind) -> [String] { entities[kind, default: []].sorted() }
}
