import Commissioning
import LMDB
import LedgerProtocol

/// One state of the read-model store, kept while an answer is read from it in parts (each part a bounded number of
/// bytes, written to the client before the next is read), so that the whole answer is as of one position.
public final class ReadModelSnapshot: Sendable {
    private let snapshot: Environment.Snapshot
    private let databases: ReadModelDatabases

    init(snapshot: Environment.Snapshot, databases: ReadModelDatabases) {
        self.snapshot = snapshot
        self.databases = databases
    }

    /// The position and recorded time of this state; nil when the store holds nothing usable.
    public func state() throws -> ReadModelState? {
        try snapshot.read { txn in try databases.state(in: txn) }
    }

    /// Whether `id` is a registered entity of `kind` (a commissioner or provider) in this state.
    public func isRegistered(_ kind: EntityKind, _ id: String) throws -> Bool {
        try snapshot.read { txn in try databases.isRegistered(kind, id, in: txn) }
    }

    /// Adds to `answer` the rows of its subject's contracts (in contract id order) from `cursor` on, appending a `ROW`
    /// line for each row that belongs to it to `lines`, until it has written `maxRows` rows or, at the end of a
    /// contract, `lines` holds `maxBytes` or more.
    /// - Returns: the rows written and where the next call goes on, nil when no contract is left.
    /// - Throws: `LMDBError`, or `ReadModelError.damaged` when a stored record does not decode.
    public func payments(
        _ answer: inout PaymentsAcrossContracts,
        from cursor: ReadModelCursor?,
        maxBytes: Int,
        maxRows: Int = .max,
        into lines: inout [UInt8]
    ) throws -> (rows: Int, next: ReadModelCursor?) {
        precondition(maxRows > 0, "a part of no rows")
        let subject = answer.subject
        let index = subject.kind == .commissioner ? databases.byCommissioner : databases.byProvider
        let prefix = ReadModelDatabases.key(subject.id, "")
        return try snapshot.read { txn in
            try txn.withCursor(index) { entries in
                var written = 0
                var json = [UInt8]()
                var entry = try entries.seek(
                    atLeast: cursor.map { ReadModelDatabases.key(subject.id, $0.contract) } ?? prefix
                )
                // The contract of an index entry of the subject's, or nil past them.
                func contractNamed(by entry: Cursor.Entry?) -> String? {
                    guard let (key, _) = entry, key.starts(with: prefix) else { return nil }
                    return String(decoding: key[prefix.count...], as: UTF8.self)
                }
                while let contract = contractNamed(by: entry) {
                    guard let stored = try databases.stored(contract, in: txn) else {
                        throw ReadModelError.damaged("no record of contract \(contract), which an index names")
                    }
                    let first = contract == cursor?.contract ? cursor?.row ?? 0 : 0
                    for number in first..<max(first, stored.rowCount) {
                        let row = try ReadModelDatabases.rowKey(contract, number).withUnsafeBytes { key in
                            try txn.get(databases.rows, key: key).flatMap(SettlementRow.init(stored:))
                        }
                        guard let row else {
                            throw ReadModelError.damaged("row \(number) of contract \(contract) is missing or damaged")
                        }
                        json.removeAll(keepingCapacity: true)
                        guard answer.add(row, of: stored.parties, to: &json) else { continue }
                        Reply.row(encoded: json, to: &lines)
                        written += 1
                        if written == maxRows, number + 1 < stored.rowCount {
                            return (written, ReadModelCursor(contract: contract, row: number + 1))
                        }
                    }
                    entry = try entries.next()
                    if written == maxRows || lines.count >= maxBytes {
                        return (written, contractNamed(by: entry).map { ReadModelCursor(contract: $0, row: 0) })
                    }
                }
                return (written, nil)
            }
        }
    }

    /// Ends the snapshot; later reads throw.
    public func close() {
        snapshot.close()
    }
}

/// Why the read-model store cannot answer.
public enum ReadModelError: Error, Sendable, Equatable {
    /// A stored record does not decode, or one that an index names is missing.
    case damaged(String)
}
