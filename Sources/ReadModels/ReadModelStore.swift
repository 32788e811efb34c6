import Commissioning
import LMDB

/// The read models of the commissioning projections, in an LMDB environment of their own (`<data>/read-models`),
/// written only by the fold thread and read in snapshots by the queries across the log, so neither waits for the
/// other. See README.md beside this file for what it holds and why.
public final class ReadModelStore: Sendable {
    /// The layout's version: a store of another is emptied and filled again.
    static let format: UInt8 = 6
    /// The map is reserved at its largest once (address space, not memory or disk), so that it never grows and a
    /// snapshot may be held while a slow client reads an answer.
    static let mapSize = 1 << 38

    let environment: Environment
    let databases: ReadModelDatabases

    /// Reader slots beyond one per snapshot the callers may hold at once: for the short reads of worker threads.
    static let readerHeadroom = 64

    /// Opens (creating if needed) the store in the existing directory `path`, with a reader slot for each of
    /// `snapshots` held at once (plus `readerHeadroom` for short reads): a caller that bounds the snapshots it holds to
    /// that many never finds every slot taken.
    /// - Throws: `DataFileError` or `LMDBError` when it cannot be opened.
    public init(path: String, snapshots: Int) throws {
        var options = Environment.Options()
        options.maxReaders = UInt32(clamping: snapshots + Self.readerHeadroom)
        options.mapSize = Self.mapSize
        options.maxMapSize = Self.mapSize
        options.maxDatabases = 32
        // Everything here is rebuilt from the log; a system crash may undo the last commit, never corrupt the store.
        options.syncsMeta = false
        environment = try Environment(path: path, options: options)
        databases = try ReadModelDatabases(environment: environment)
    }

    /// The position and recorded time the store reflects; nil when it holds nothing usable (empty, or of another
    /// layout).
    public func state() throws -> ReadModelState? {
        try environment.read { txn in try databases.state(in: txn) }
    }

    /// Writes what the fold changed since the last write (each part replacing what was stored of its entity) and the
    /// entities registered since, then moves the store to `state`.
    public func write(_ state: ReadModelState, changed parts: ReadModelParts) throws {
        try environment.write { txn in
            try write(parts, in: txn)
            try databases.setState(state, in: txn)
        }
    }

    /// Empties the store and fills it with everything `projections` (of the ledger `ledger`) hold, at their position:
    /// a batch of entities per transaction, so that neither the parts computed nor the pages written outgrow memory at
    /// ten million events. The state is written last: a store left part-filled (by a crash) holds none, and is
    /// written afresh at the next start.
    public func replaceAll(with projections: Projections, ledger: String) throws {
        try environment.write { txn in try databases.empty(in: txn) }
        let batch = 2_000
        let contracts = projections.contractIDs
        for start in stride(from: 0, to: contracts.count, by: batch) {
            let ids = contracts[start..<min(start + batch, contracts.count)]
            let links = ids.compactMap { id in
                projections.links(ofContract: id).map {
                    (EntityKind.contract, id, [$0.requirement, $0.consortium ?? ""])
                }
            }
            try write(ReadModelParts(contracts: ids.compactMap(projections.contractRows), links: links))
        }
        let requirements = projections.registered(.requirement)
        for start in stride(from: 0, to: requirements.count, by: batch) {
            let ids = requirements[start..<min(start + batch, requirements.count)]
            let links = ids.compactMap { id in
                projections.links(ofRequirement: id).map { (EntityKind.requirement, id, [$0.case] + $0.contracts) }
            }
            try write(ReadModelParts(requirements: ids.compactMap(projections.requirementRows), links: links))
        }
        let cases = projections.registered(.case)
        for start in stride(from: 0, to: cases.count, by: batch) {
            let ids = cases[start..<min(start + batch, cases.count)]
            try write(ReadModelParts(links: ids.map { (EntityKind.case, $0, projections.links(ofCase: $0)) }))
        }
        let others = ReadModelParts(
            providers: projections.registered(.provider).compactMap { id in
                projections.providerStanding(id).map { (id, $0) }
            },
            consortia: projections.registered(.consortium).compactMap { id in
                projections.consortiumMembers(id).map { (id, $0) }
            },
            registered: [EntityKind.commissioner, .provider].flatMap { kind in
                projections.registered(kind).map { (kind, $0) }
            }
        )
        try environment.write { txn in
            try write(others, in: txn)
            try databases.setState(
                ReadModelState(
                    ledger: ledger,
                    position: projections.position,
                    recorded: projections.recordedAtPosition
                ),
                in: txn
            )
        }
    }

    /// Writes `parts` in a transaction of their own, leaving the state as it is.
    private func write(_ parts: ReadModelParts) throws {
        try environment.write { txn in try write(parts, in: txn) }
    }

    private func write(_ parts: ReadModelParts, in txn: Transaction) throws {
        var market = MarketDeltas()
        for contract in parts.contracts { try databases.replace(contract, market: &market, in: txn) }
        for requirement in parts.requirements { try databases.replace(requirement, market: &market, in: txn) }
        try databases.apply(market, in: txn)
        for (id, members) in parts.consortia {
            try txn.put(databases.consortia, key: ReadModelDatabases.key(id), value: members.stored)
        }
        for (id, standing) in parts.providers {
            try txn.put(databases.providerStanding, key: ReadModelDatabases.key(id), value: standing.stored)
        }
        for (kind, id) in parts.registered { try databases.register(kind, id, in: txn) }
        for (kind, id, texts) in parts.links { try databases.putLinks(kind, id, texts, in: txn) }
    }

    /// The reader slots held now (by snapshots and short reads) and how many there are.
    public var readers: (used: Int, max: Int) {
        let info = environment.info()
        return (info.readersUsed, info.maxReaders)
    }

    /// A snapshot of the store, for an answer read in parts.
    /// - Throws: `LMDBError` (`readersFull` when every reader slot is held).
    public func snapshot() throws -> ReadModelSnapshot {
        ReadModelSnapshot(snapshot: try environment.snapshot(), databases: databases)
    }
}

/// The ledger and position a read model reflects, and the recorded time of the event there (its day is "today" for
/// lateness).
public struct ReadModelState: Sendable, Equatable {
    public var ledger: String
    public var position: UInt64
    public var recorded: String

    public init(ledger: String, position: UInt64, recorded: String) {
        self.ledger = ledger
        self.position = position
        self.recorded = recorded
    }
}

/// What the fold changed for the read models, computed from the live state: each changed contract's, requirement's
/// and provider's parts, and the commissioners and providers registered.
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

    /// The parts `changes` name, from `projections` (the live state after them).
    public init(_ changes: ReadModelChanges, from projections: Projections) {
        contracts = changes.contracts.compactMap(projections.contractRows)
        requirements = changes.requirements.compactMap(projections.requirementRows)
        providers = changes.providers.compactMap { id in projections.providerStanding(id).map { (id, $0) } }
        consortia = changes.consortia.compactMap { id in projections.consortiumMembers(id).map { (id, $0) } }
        registered = changes.registered.filter { projections.isRegistered($0.kind, $0.id) }
        links = []
        for (kind, id) in changes.linked {
            // A contract's links and its requirement's list; a requirement's links and its case's list.
            if kind == .contract, let contract = projections.links(ofContract: id) {
                links += Self.links(ofContract: id, contract, in: projections)
            } else if kind == .requirement, let requirement = projections.links(ofRequirement: id) {
                links += Self.links(ofRequirement: id, requirement, in: projections)
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
