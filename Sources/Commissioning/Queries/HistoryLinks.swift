/// Which streams make up an entity's history, as `audit` connects them: a case's requirements, a requirement's case
/// and contracts, a contract's requirement and the consortium holding it. Kept apart from the projections (by the
/// daemon, under a lock of its own), so that naming the streams a query about one entity reads never waits for a
/// query across the log.
public struct HistoryLinks: Sendable, Equatable {
    /// The position of the projections these links were taken from.
    public private(set) var position: UInt64 = 0
    private var requirementsOfCase: [String: [String]] = [:]
    private var caseOfRequirement: [String: String] = [:]
    private var contractsOfRequirement: [String: [String]] = [:]
    private var requirementOfContract: [String: String] = [:]
    private var consortiumOfContract: [String: String] = [:]
    private var contractsOfConsortium: [String: Set<String>] = [:]

    /// The entity whose history a query is about: a contract, requirement or case.
    public enum Subject: Sendable, Equatable {
        case contract(String)
        case requirement(String)
        case `case`(String)
    }

    /// The links of every entity of `projections`, as of their position.
    public init(_ projections: Projections) {
        position = projections.position
        for id in projections.registered(.requirement) {
            guard let links = projections.links(ofRequirement: id) else { continue }
            link(requirement: id, case: links.case)
            // Each list in the projections' order (the log's).
            if !links.contracts.isEmpty { contractsOfRequirement[id] = links.contracts }
        }
        for id in projections.registered(.contract) {
            guard let links = projections.links(ofContract: id) else { continue }
            link(contract: id, requirement: links.requirement, consortium: links.consortium)
        }
        for id in projections.registered(.case) {
            let requirements = projections.links(ofCase: id)
            if !requirements.isEmpty { requirementsOfCase[id] = requirements }
        }
    }

    /// Adds the links that `events`, just applied to `projections`, made, and moves to their position.
    public mutating func add(_ events: [DomainEvent], appliedTo projections: Projections) {
        // Only two types make links: the others cost the fold one comparison each, not a parse of their stream.
        for event in events where event.type == "requirement-published" || event.type == "contract-agreed" {
            guard let (kind, id) = EntityKind.parse(stream: event.stream) else { continue }
            // Only the event that created the entity links it (a second creating event is no fact).
            guard kind == .requirement || kind == .contract, projections.creation(of: kind, id) == event.position
            else { continue }
            if kind == .requirement, let links = projections.links(ofRequirement: id) {
                link(requirement: id, case: links.case)
                // As the projections link them: only to a case that exists.
                if projections.creation(of: .case, links.case) != nil {
                    requirementsOfCase[links.case, default: []].append(id)
                }
            } else if kind == .contract, let links = projections.links(ofContract: id) {
                link(contract: id, requirement: links.requirement, consortium: links.consortium)
                if projections.creation(of: .requirement, links.requirement) != nil {
                    contractsOfRequirement[links.requirement, default: []].append(id)
                }
            }
        }
        position = projections.position
    }

    private mutating func link(requirement id: String, case caseID: String) {
        caseOfRequirement[id] = caseID
    }

    private mutating func link(contract id: String, requirement: String, consortium: String?) {
        requirementOfContract[id] = requirement
        if let consortium {
            consortiumOfContract[id] = consortium
            contractsOfConsortium[consortium, default: []].insert(id)
        }
    }

    /// The contracts whose settlements read the stream of the entity `id` of `kind` (as `payments contract` reads
    /// them): a contract's own, its requirement's, its case's and its consortium's.
    public func contracts(reading kind: EntityKind, _ id: String) -> [String] {
        switch kind {
        case .contract: [id]
        case .requirement: contractsOfRequirement[id] ?? []
        case .case: (requirementsOfCase[id] ?? []).flatMap { contractsOfRequirement[$0] ?? [] }
        case .consortium: Array(contractsOfConsortium[id] ?? [])
        case .commissioner, .provider: []
        }
    }

    /// The streams whose events the answer to `arguments` reads, when it is about one entity's history: `payments
    /// contract <id> [period]` and `audit case|requirement|contract <id>`; nil for the queries that read across the
    /// log. For a known entity they are its case's, requirements' and contracts' streams and the streams of the
    /// consortia holding those contracts; for an unknown one, its own stream alone.
    ///
    /// Projections of those streams alone (`Projections(part:position:recorded:)`) answer the query as the whole
    /// log's projections at `position` do, with the streams of the providers whose ratings a reward for quality reads
    /// (`Projections.ratedProviderStreams`, known once those streams are folded).
    public func streams(answering arguments: [String]) -> [String]? {
        Self.streams(answering: arguments, links: self)
    }

    /// `streams(answering:)` with the links `links` gives (these, or a store's).
    public static func streams(answering arguments: [String], links: some EntityLinks) -> [String]? {
        guard let subject = subject(of: arguments) else { return nil }
        var cases = [String]()
        var requirements = [String]()
        var contracts = [String]()
        switch subject {
        case .contract(let id):
            contracts = [id]
            requirements = links.requirement(ofContract: id).map { [$0] } ?? []
            cases = requirements.compactMap { links.case(ofRequirement: $0) }
        case .requirement(let id):
            requirements = [id]
            cases = links.case(ofRequirement: id).map { [$0] } ?? []
            contracts = links.contracts(ofRequirement: id)
        case .case(let id):
            cases = [id]
            requirements = links.requirements(ofCase: id)
            contracts = requirements.flatMap { links.contracts(ofRequirement: $0) }
        }
        var streams = [String]()
        var seen = Set<String>()
        let named: [(EntityKind, [String])] = [
            (.case, cases), (.requirement, requirements), (.contract, contracts),
            (.consortium, contracts.compactMap { links.consortium(ofContract: $0) }),
        ]
        for (kind, ids) in named {
            for id in ids where seen.insert(kind.stream(id)).inserted { streams.append(kind.stream(id)) }
        }
        return streams
    }

    /// The entity `arguments` ask about when they are a query about one entity's history (`payments contract <id>
    /// [period]`, `audit case|requirement|contract <id>`); nil for the queries that read across the log.
    public static func subject(of arguments: [String]) -> Subject? {
        guard arguments.count >= 3 else { return nil }
        let id = arguments[2]
        switch (arguments[0], arguments[1], arguments.count) {
        case ("payments", "contract", 3...4), ("audit", "contract", 3): return .contract(id)
        case ("audit", "requirement", 3): return .requirement(id)
        case ("audit", "case", 3): return .case(id)
        default: return nil
        }
    }
}

/// How an entity's history connects to others, as `audit` connects them.
public protocol EntityLinks {
    func requirement(ofContract id: String) -> String?
    func consortium(ofContract id: String) -> String?
    func `case`(ofRequirement id: String) -> String?
    /// The contracts agreed from the requirement, in log order.
    func contracts(ofRequirement id: String) -> [String]
    /// The requirements published for the case, in log order.
    func requirements(ofCase id: String) -> [String]
}

extension HistoryLinks: EntityLinks {
    public func requirement(ofContract id: String) -> String? { requirementOfContract[id] }
    public func consortium(ofContract id: String) -> String? { consortiumOfContract[id] }
    public func `case`(ofRequirement id: String) -> String? { caseOfRequirement[id] }
    public func contracts(ofRequirement id: String) -> [String] { contractsOfRequirement[id] ?? [] }
    public func requirements(ofCase id: String) -> [String] { requirementsOfCase[id] ?? [] }
}

extension Projections {
    /// The links of the contract `id` (its requirement and the consortium holding it), as `HistoryLinks` keeps them.
    public func links(ofContract id: String) -> (requirement: String, consortium: String?)? {
        guard facts.keepsHistories else {
            return facts.links.contracts[id].map { ($0.requirement, $0.consortium) }
        }
        guard let agreement = facts.contracts[id]?.agreement.value else { return nil }
        guard case .consortium(let consortium) = agreement.supplier else { return (agreement.requirement, nil) }
        return (agreement.requirement, consortium)
    }

    /// The links of the requirement `id` (its case and the contracts agreed from it), as `HistoryLinks` keeps them.
    public func links(ofRequirement id: String) -> (case: String, contracts: [String])? {
        guard facts.keepsHistories else { return facts.links.requirements[id].map { ($0.caseID, $0.contracts) } }
        return facts.requirements[id].map { ($0.publication.value.caseID, $0.contracts) }
    }

    /// The requirements published for the case `id`, as `HistoryLinks` keeps them.
    public func links(ofCase id: String) -> [String] {
        guard facts.keepsHistories else { return facts.links.cases[id]?.requirements ?? [] }
        return facts.cases[id]?.requirements ?? []
    }

    /// The position of the fact that created the case, requirement or contract `id` (nil for an unknown one, or
    /// another kind).
    public func creation(of kind: EntityKind, _ id: String) -> UInt64? {
        switch (kind, facts.keepsHistories) {
        case (.case, true): facts.cases[id]?.need.stamp.position
        case (.case, false): facts.links.cases[id]?.position
        case (.requirement, true): facts.requirements[id]?.publication.stamp.position
        case (.requirement, false): facts.links.requirements[id]?.position
        case (.contract, true): facts.contracts[id]?.agreement.stamp.position
        case (.contract, false): facts.links.contracts[id]?.position
        case (.commissioner, _), (.provider, _), (.consortium, _): nil
        }
    }
}

extension Projections: EntityLinks {
    public func requirement(ofContract id: String) -> String? { links(ofContract: id)?.requirement }
    public func consortium(ofContract id: String) -> String? { links(ofContract: id)?.consortium }
    public func `case`(ofRequirement id: String) -> String? { links(ofRequirement: id)?.case }
    public func contracts(ofRequirement id: String) -> [String] { links(ofRequirement: id)?.contracts ?? [] }
    public func requirements(ofCase id: String) -> [String] { links(ofCase: id) }
}
