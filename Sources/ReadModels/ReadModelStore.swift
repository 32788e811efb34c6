import Commissioning
import LMDB

/// The read models of the commissioning projections, in an LMDB environment of their own (`<data>/read-models`),
/// written only by the fold thread and read in snapshots by the queries across the log, so neither waits for the
/// other. See README.md beside this file for what it holds and why.
public final class ReadModelStore: Sendable {
    /// The layout's version: a store of another is emptied and filled again.
    static let format: UInt8 = 13
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

    /// Empties the store and fills it with everything `registries` (projections of the ledger `ledger`, of any scope)
    /// and the histories `read` gives hold, at their position: a batch of histories per transaction, so that neither
    /// the parts computed nor the pages written outgrow memory at ten million events. The state is written last: a
    /// store left part-filled (by a crash) holds none, and is written afresh at the next start.
    public func replaceAll(with registries: Projections, ledger: String, reading read: HistoryReader) throws {
        try environment.write { txn in try databases.empty(in: txn) }
        let groups = HistoryGroups(
            contracts: registries.registered(.contract),
            requirements: registries.registered(.requirement),
            links: registries
        )
        for batch in groups.batches(ofEntities: 2_000) {
            var parts = try ReadModelParts(histories: Array(batch), registries: registries, reading: read)
            parts.links = batch.flatMap(\.contracts).compactMap { id in
                registries.links(ofContract: id).map {
                    (EntityKind.contract, id, [$0.requirement, $0.consortium ?? ""])
                }
            }
            parts.links += batch.compactMap { group in
                registries.links(ofRequirement: group.requirement).map {
                    (EntityKind.requirement, group.requirement, [$0.case] + $0.contracts)
                }
            }
            try write(parts)
        }
        let cases = registries.registered(.case)
        for start in stride(from: 0, to: cases.count, by: 2_000) {
            let ids = cases[start..<min(start + 2_000, cases.count)]
            try write(ReadModelParts(links: ids.map { (EntityKind.case, $0, registries.links(ofCase: $0)) }))
        }
        let others = ReadModelParts(
            providers: registries.registered(.provider).compactMap { id in
                registries.providerStanding(id).map { (id, $0) }
            },
            consortia: registries.registered(.consortium).compactMap { id in
                registries.consortiumMembers(id).map { (id, $0) }
            },
            registered: [EntityKind.commissioner, .provider].flatMap { kind in
                registries.registered(kind).map { (kind, $0) }
            }
        )
        try environment.write { txn in
            try write(others, in: txn)
            try databases.setState(
                ReadModelState(
                    ledger: ledger,
                    position: registries.position,
                    recorded: registries.recordedAtPosition
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

    /// The contracts whose stored rows name `provider` as contractor, integrator or pass-through member: those whose
    /// parts read its registration (its scale, for the market).
    public func contracts(naming provider: String) throws -> [String] {
        try environment.read { txn in try databases.contracts(naming: provider, in: txn) }
    }

    /// The contracts whose reward for quality reads `provider`'s rating.
    public func contracts(ratedBy provider: String) throws -> [String] {
        try environment.read { txn in try databases.contracts(ratedBy: provider, in: txn) }
    }

    /// The requirements that invited `provider`.
    public func requirements(naming provider: String) throws -> [String] {
        try environment.read { txn in try databases.requirements(naming: provider, in: txn) }
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
