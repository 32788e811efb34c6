import Foundation
import LMDB
import LedgerProofs

extension EventLog {
    /// How opening the log related the data to the identity record beside it.
    public enum IdentityStart: Sendable, Equatable {
        /// No record and no data: a new ledger, and its record written.
        case created
        /// The data is the recorded ledger's and holds the recorded head.
        case confirmed
        /// Data without a record (made before records were kept, or restored): the record was written for it.
        case adopted
        /// `startNewLedger`: the record was replaced by one for the data as it is.
        case replaced(previous: LedgerIdentity)
    }

    /// The key of the ledger id (UTF-8 UUID text) in the `meta` database.
    static let ledgerKey = Array("ledger".utf8)

    /// Refuses, before anything is created, a truncated data file, and (unless `startNew`) one that the record says
    /// holds a ledger but is missing or empty.
    static func checkBeforeOpening(
        directory: String,
        recorded: LedgerIdentity?,
        startNew: Bool
    ) throws(EventLogError) {
        let path = "\(directory)/data.mdb"
        let contents: DataFileCheck.Contents
        do {
            contents = try DataFileCheck.check(path)
        } catch {
            throw .damaged(error.description)
        }
        guard let recorded, !startNew else { return }
        let state: String
        switch contents {
        case .absent: state = "missing"
        case .empty: state = "empty"
        case .sound: return
        }
        throw .damaged(
            "\(path) is \(state), but \(directory)/\(LedgerIdentity.fileName) records ledger \(recorded.ledger) at "
                + "position \(recorded.position): restore the data directory from a backup, or start a new, empty "
                + "ledger on purpose with --start-new-ledger"
        )
    }

    /// Checks the opened data against `recorded` and writes the record when it is new or changed.
    /// - Throws: `EventLogError.damaged` naming what differs (unless `configuration.startNewLedger`); storage failures.
    static func settleIdentity(
        recorded: LedgerIdentity?,
        head: Head,
        configuration: Configuration,
        environment: Environment,
        databases: Databases
    ) throws -> (LedgerIdentity, IdentityStart) {
        let directory = configuration.directory
        let stored = try environment.read { txn in
            try txn.getBytes(databases.meta, key: ledgerKey).map { String(decoding: $0, as: UTF8.self) }
        }
        let start: IdentityStart
        switch recorded {
        case nil:
            start = stored == nil && head.position == 0 ? .created : .adopted
        case let recorded? where configuration.startNewLedger:
            start = .replaced(previous: recorded)
        case let recorded?:
            try confirm(recorded, stored: stored, head: head, directory: directory) { size in
                try environment.read { txn in
                    try MerkleProofs.subtreeRoot(0..<size, leaves: StoredLeafHashes(txn: txn, databases: databases))
                }
            }
            start = .confirmed
        }
        let ledger = stored ?? UUID().uuidString.lowercased()
        if stored == nil {
            try environment.writeSynced { txn in try txn.put(databases.meta, key: ledgerKey, value: Array(ledger.utf8))
            }
        }
        let identity = LedgerIdentity(ledger: ledger, position: head.position, root: head.root)
        if identity != recorded {
            try identity.write(in: directory, mode: configuration.environment.fileMode)
        }
        return (identity, start)
    }

    /// Refuses data that is not the recorded ledger's, or that lacks the recorded head: its id differs, its head is
    /// lower, or its root at the recorded position differs (`root(size)`, read only when the head has moved on).
    private static func confirm(
        _ recorded: LedgerIdentity,
        stored: String?,
        head: Head,
        directory: String,
        root: (UInt64) throws -> MerkleHash
    ) throws {
        let data = "\(directory)/data.mdb"
        let record = "\(directory)/\(LedgerIdentity.fileName)"
        let remedy = "restore the data directory from a backup, or start on purpose with --start-new-ledger"
        guard stored == recorded.ledger else {
            throw EventLogError.damaged(
                "\(data) holds ledger \(stored ?? "(no id)"), but \(record) records ledger \(recorded.ledger): the "
                    + "data file was replaced; \(remedy)"
            )
        }
        guard head.position >= recorded.position else {
            throw EventLogError.damaged(
                "\(data) ends at position \(head.position), but \(record) records position \(recorded.position): "
                    + "events are missing; \(remedy)"
            )
        }
        let rootThen = head.position == recorded.position ? head.root : try root(recorded.position)
        guard rootThen == recorded.root else {
            throw EventLogError.damaged(
                "\(data) has root \(rootThen) at position \(recorded.position), but \(record) records root "
                    + "\(recorded.root): the history differs; \(remedy)"
            )
        }
    }

    /// The ledger's id, as stored in the data and in the identity record.
    public var ledgerID: String { identity.withLock { $0.ledger } }

    /// Writes the committed head into the identity record (when it has moved since the last write). The daemon calls
    /// it when it saves a projection checkpoint and when it stops, not per commit.
    /// - Throws: `EventLogError.storage` or `.storageFull` when the record cannot be written.
    public func recordIdentity() throws(EventLogError) {
        try identity.withLock { (identity) throws(EventLogError) in
            let head = self.head
            // The record only ever holds a committed head, and the head never moves back.
            precondition(head.position >= identity.position, "the head is below the identity record's")
            guard head.position != identity.position else { return }
            let updated = LedgerIdentity(ledger: identity.ledger, position: head.position, root: head.root)
            try updated.write(in: directory, mode: fileMode)
            identity = updated
        }
    }
}
