import Commissioning
import Foundation
import Synchronization

/// Reads histories from the log: the events of `streams` (cases', requirements' and contracts'), in log order, up to
/// the position of the projections they complete. Called from several threads at once.
public typealias HistoryReader = @Sendable (_ streams: [String]) throws -> [DomainEvent]

/// What the fold changed for the read models: each changed contract's, requirement's, provider's and consortium's
/// parts, the commissioners and providers registered and the links made.
public struct ReadModelParts: Sendable {
    public var contracts: [ContractRows]
    public var requirements: [RequirementRows]
    public var providers: [(id: String, standing: ProviderStanding)]
    public var consortia: [(id: String, members: ConsortiumMembers)]
    public var registered: [(kind: EntityKind, id: String)]
    /// The links of entities, each as `ReadModelDatabases.putLinks` stores them.
    public var links: [(kind: EntityKind, id: String, texts: [String])]

    public init(
        contracts: [ContractRows] = [],
        requirements: [RequirementRows] = [],
        providers: [(id: String, standing: ProviderStanding)] = [],
        consortia: [(id: String, members: ConsortiumMembers)] = [],
        registered: [(kind: EntityKind, id: String)] = [],
        links: [(kind: EntityKind, id: String, texts: [String])] = []
    ) {
        self.contracts = contracts
        self.requirements = requirements
        self.providers = providers
        self.consortia = consortia
        self.registered = registered
        self.links = links
    }

    /// The parts `changes` name, as of `registries` (the live projections, after the changes): the registries' own
    /// from them, the contracts' and requirements' from their histories, read with `read`.
    public init(_ changes: ReadModelChanges, from registries: Projections, reading read: HistoryReader) throws {
        let groups = HistoryGroups(
            contracts: changes.contracts,
            requirements: changes.requirements,
            links: registries
        )
        self = try ReadModelParts(histories: groups.groups, registries: registries, reading: read)
        providers = changes.providers.compactMap { id in registries.providerStanding(id).map { (id, $0) } }
        consortia = changes.consortia.compactMap { id in registries.consortiumMembers(id).map { (id, $0) } }
        registered = changes.registered.filter { registries.isRegistered($0.kind, $0.id) }
        for (kind, id) in changes.linked {
            // A contract's links and its requirement's list; a requirement's links and its case's list.
            if kind == .contract, let contract = registries.links(ofContract: id) {
                links += Self.links(ofContract: id, contract, in: registries)
            } else if kind == .requirement, let requirement = registries.links(ofRequirement: id) {
                links += Self.links(ofRequirement: id, requirement, in: registries)
            }
        }
    }

    /// The parts of the contracts and requirements of `histories`, each group's computed from its streams (read with
    /// `read`) over `registries`: many groups (a write afresh, a long catch-up) on every core, in slices.
    init(histories: [HistoryGroup], registries: Projections, reading read: HistoryReader) throws {
        self.init()
        let slices = histories.count >= Self.groupsWorthSpreading ? ProcessInfo.processInfo.activeProcessorCount : 1
        let computed = Mutex([Result<ReadModelParts, any Error>?](repeating: nil, count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = (histories.count * slice / slices)..<(histories.count * (slice + 1) / slices)
            let result = Result { try Self(computing: histories[range], registries: registries, reading: read) }
            computed.withLock { $0[slice] = result }
        }
        for result in computed.withLock({ $0 }) {
            guard let parts = try result?.get() else { continue }
            contracts += parts.contracts
            requirements += parts.requirements
        }
    }

    /// The fewest groups that `init(histories:registries:reading:)` spreads over the cores: a page's few are
    /// computed on the calling thread.
    static let groupsWorthSpreading = 64

    /// The parts of `histories`' contracts and requirements, computed one group after another.
    private init(
        computing histories: ArraySlice<HistoryGroup>,
        registries: Projections,
        reading read: HistoryReader
    )
        throws
    {
        self.init()
        for group in histories {
            let streams = group.streams(links: registries)
            let projections = registries.withHistories(of: try read(streams))
            contracts += group.contracts.compactMap(projections.contractRows)
            if group.includesRequirement, let rows = projections.requirementRows(group.requirement) {
                requirements.append(rows)
            }
        }
    }

    /// The stored links of the contract `id` and of its requirement.
    static func links(
        ofContract id: String,
        _ contract: (requirement: String, consortium: String?),
        in projections: Projections
    ) -> [(kind: EntityKind, id: String, texts: [String])] {
        var links: [(kind: EntityKind, id: String, texts: [String])] = [
            (.contract, id, [contract.requirement, contract.consortium ?? ""])
        ]
        if let requirement = projections.links(ofRequirement: contract.requirement) {
            links.append((.requirement, contract.requirement, [requirement.case] + requirement.contracts))
        }
        return links
    }

    /// The stored links of the requirement `id` and of its case.
    static func links(
        ofRequirement id: String,
        _ requirement: (case: String, contracts: [String]),
        in projections: Projections
    ) -> [(kind: EntityKind, id: String, texts: [String])] {
        [
            (.requirement, id, [requirement.case] + requirement.contracts),
            (.case, requirement.case, projections.links(ofCase: requirement.case)),
        ]
    }
}

/// Contracts and requirements whose parts are computed together, from one reading of their streams: a requirement
/// (by id, known or not) and the contracts agreed from it.
struct HistoryGroup: Sendable {
    let requirement: String
    /// Whether the requirement's own parts are wanted (or only its contracts').
    var includesRequirement = false
    var contracts: [String] = []

    /// The streams of the group's histories (no registry's): every stream `audit requirement` reads and every
    /// stream `payments contract` reads for each of its contracts.
    func streams(links: some EntityLinks) -> [String] {
        var streams = [String]()
        var seen = Set<String>()
        let queries = [["audit", "requirement", requirement]] + contracts.map { ["payments", "contract", $0] }
        for query in queries {
            for stream in HistoryLinks.streams(answering: query, links: links) ?? []
            where EntityKind.parse(stream: stream)?.kind.isRegistry != true && seen.insert(stream).inserted {
                streams.append(stream)
            }
        }
        return streams
    }
}

/// Contracts and requirements grouped by requirement (`HistoryGroup`).
struct HistoryGroups {
    private(set) var groups: [HistoryGroup] = []

    init(contracts: some Sequence<String>, requirements: some Sequence<String>, links: some EntityLinks) {
        var index = [String: Int]()
        func group(_ requirement: String) -> Int {
            if let found = index[requirement] { return found }
            groups.append(HistoryGroup(requirement: requirement))
            index[requirement] = groups.count - 1
            return groups.count - 1
        }
        for requirement in requirements { groups[group(requirement)].includesRequirement = true }
        for contract in contracts {
            guard let requirement = links.requirement(ofContract: contract) else { continue }
            groups[group(requirement)].contracts.append(contract)
        }
    }

    /// The groups in batches of about `entities` contracts and requirements each.
    func batches(ofEntities entities: Int) -> [ArraySlice<HistoryGroup>] {
        var batches = [ArraySlice<HistoryGroup>]()
        var start = 0
        var count = 0
        for (offset, group) in groups.enumerated() {
            count += group.contracts.count + 1
            if count >= entities {
                batches.append(groups[start...offset])
                start = offset + 1
                count = 0
            }
        }
        if start < groups.count { batches.append(groups[start...]) }
        return batches
    }
}
