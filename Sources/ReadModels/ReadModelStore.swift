import Commissioning
import LMDB

/// The read models of the commissioning projections, in an LMDB environment of their own (`<data>/read-models`),
/// written only by the fold thread and read in snapshots by the queries across the log, so neither waits for the
/// other. See README.md beside this file for what it holds and why.
public final class ReadModelStore: Sendable {
    /// The layout's version: a store of another is emptied and filled again.
    static let format: UInt8 = 2
    /// The map is reserved at its largest once (address space, not memory or disk), so that it never grows and a
    /// snapshot may be held while a slow client reads an answer.
    static let mapSize = 1 << 38

    let environment: Environment
    let databases: ReadModelDatabases

    /// Opens (creating if needed) the store in the existing directory `path`.
    /// - Throws: `DataFileError` or `LMDBError` when it cannot be opened.
    public init(path: String) throws {
        var options = Environment.Options()
        options.mapSize = Self.mapSize
        options.maxMapSize = Self.mapSize
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

    /// Writes what the fold changed since the last write: `contracts` (each replacing what was stored of it), the
    /// exceptions of `requirements` and the entities registered since, then moves the store to `state`.
    public func write(
        _ state: ReadModelState,
        contracts: [ContractRows],
        requirements: [(id: String, exceptions: [ExceptionRow])],
        registered: [(EntityKind, String)]
    ) throws {
        try environment.write { txn in
            for contract in contracts { try databases.replace(contract, in: txn) }
            for requirement in requirements {
                try databases.replaceExceptions(of: .requirement, requirement.id, with: requirement.exceptions, in: txn)
            }
            for (kind, id) in registered { try databases.register(kind, id, in: txn) }
            try databases.setState(state, in: txn)
        }
    }

    /// Empties the store and fills it with everything `projections` (of the ledger `ledger`) hold, at their position.
    public func replaceAll(with projections: Projections, ledger: String) throws {
        let contracts = projections.contractIDs.compactMap(projections.contractRows)
        let requirements = projections.registered(.requirement).compactMap { id in
            projections.requirementExceptions(id).map { (id, $0) }
        }
        try environment.write { txn in
            try databases.empty(in: txn)
            for contract in contracts { try databases.replace(contract, in: txn) }
            for (id, exceptions) in requirements {
                try databases.replaceExceptions(of: .requirement, id, with: exceptions, in: txn)
            }
            for kind in [EntityKind.commissioner, .provider] {
                for id in projections.registered(kind) { try databases.register(kind, id, in: txn) }
            }
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
