/// What folded events changed for the read models: the contracts, requirements and providers whose stored parts they
/// may change, and the commissioners and providers they registered.
public struct ReadModelChanges: Sendable {
    public private(set) var contracts = Set<String>()
    /// The requirements whose streams the events touched (their exceptions and evaluations read nothing else).
    public private(set) var requirements = Set<String>()
    /// The providers whose streams the events touched (their standing reads nothing else).
    public private(set) var providers = Set<String>()
    /// The consortia whose streams the events touched (their members read nothing else).
    public private(set) var consortia = Set<String>()
    /// The contracts and requirements whose links (`HistoryLinks`) the events made: agreed or published.
    public private(set) var linked: [(kind: EntityKind, id: String)] = []
    /// The providers with a correction on their stream, which may change the scale (SME or not), voluntary status
    /// or rating that the contracts they hold or deliver and the requirements that invited them read: the writer adds
    /// those contracts and requirements (`add(contracts:)`, `add(requirements:)`).
    public private(set) var restated = Set<String>()
    /// The providers with a new rating, which may change the reward for quality of the contracts that read their
    /// rating: the writer adds those contracts.
    public private(set) var rerated = Set<String>()
    public private(set) var registered: [(kind: EntityKind, id: String)] = []

    public init() {}

    /// Adds what `events`, just applied (with `links` taken after them), change.
    public mutating func add(_ events: [DomainEvent], links: HistoryLinks) {
        for event in events {
            guard let (kind, id) = EntityKind.parse(stream: event.stream) else { continue }
            contracts.formUnion(links.contracts(reading: kind, id))
            switch (kind, event.type) {
            case (.contract, EventType.contractAgreed.rawValue),
                (.requirement, EventType.requirementPublished.rawValue):
                linked.append((kind, id))
            case (.commissioner, EventType.commissionerRegistered.rawValue),
                (.provider, EventType.providerRegistered.rawValue):
                registered.append((kind, id))
            case (.provider, EventType.correction.rawValue):
                restated.insert(id)
            case (.provider, EventType.providerRatingChanged.rawValue):
                rerated.insert(id)
            default:
                break
            }
            switch kind {
            case .requirement: requirements.insert(id)
            case .consortium: consortia.insert(id)
            case .provider: providers.insert(id)
            case .commissioner, .case, .contract: break
            }
        }
    }

    /// Adds contracts whose stored parts may have changed though no event on the streams they read did (those of a
    /// provider in `restated`).
    public mutating func add(contracts more: some Sequence<String>) {
        contracts.formUnion(more)
    }

    /// Adds requirements whose market parts may have changed though no event on their streams did (those that invited
    /// a provider whose stream had a correction).
    public mutating func add(requirements more: some Sequence<String>) {
        requirements.formUnion(more)
    }
}
