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
    /// Whether a correction on a provider's stream may have changed a scale that settled contracts read (an SME's
    /// share of spend): the read models are then written afresh.
    public private(set) var changesEverything = false
    public private(set) var registered: [(kind: EntityKind, id: String)] = []

    public init() {}

    /// Adds what `events`, just applied (with `links` taken after them), change.
    public mutating func add(_ events: [DomainEvent], links: HistoryLinks) {
        contracts.formUnion(links.contracts(touchedBy: events))
        for event in events {
            if event.type == EventType.contractAgreed.rawValue || event.type == EventType.requirementPublished.rawValue,
                let (kind, id) = EntityKind.parse(stream: event.stream), kind == .contract || kind == .requirement
            {
                linked.append((kind, id))
            }
            if event.stream.hasPrefix("requirement-") || event.stream.hasPrefix("provider-")
                || event.stream.hasPrefix("consortium-"), let (kind, id) = EntityKind.parse(stream: event.stream)
            {
                switch kind {
                case .requirement: requirements.insert(id)
                case .consortium: consortia.insert(id)
                case .provider:
                    providers.insert(id)
                    if event.type == EventType.correction.rawValue { changesEverything = true }
                default: break
                }
            }
            let kind: EntityKind
            switch event.type {
            case EventType.commissionerRegistered.rawValue: kind = .commissioner
            case EventType.providerRegistered.rawValue: kind = .provider
            default: continue
            }
            if let (streamKind, id) = EntityKind.parse(stream: event.stream), streamKind == kind {
                registered.append((kind, id))
            }
        }
    }
}
