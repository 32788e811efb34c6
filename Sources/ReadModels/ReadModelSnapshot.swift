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
        guard answer.scope == .all else {
            return try paymentsInPeriod(&answer, from: cursor, maxBytes: maxBytes, maxRows: maxRows, into: &lines)
        }
        let subject = answer.subject
        let index = subject.kind == .commissioner ? databases.byCommissioner : databases.byProvider
        let prefix = ReadModelDatabases.key(subject.id, "")
        return try snapshot.read { txn in
            try txn.withCursor(index) { entries in
                var written = 0
                var json = [UInt8]()
                var entry = try entries.seek(
                    atLeast: cursor.map { ReadModelDatabases.key(subject.id, $0.key) } ?? prefix
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
                    let first = contract == cursor?.key ? cursor?.row ?? 0 : 0
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
                            return (written, ReadModelCursor(key: contract, row: number + 1))
                        }
                    }
                    entry = try entries.next()
                    if written == maxRows || lines.count >= maxBytes {
                        return (written, contractNamed(by: entry).map { ReadModelCursor(key: $0, row: 0) })
                    }
                }
                return (written, nil)
            }
        }
    }

    /// `payments(_:from:maxBytes:maxRows:into:)` for an answer about one year or month: its subject's rows of that
    /// period, listed in a period index in contract and row order, read one by one.
    private func paymentsInPeriod(
        _ answer: inout PaymentsAcrossContracts,
        from cursor: ReadModelCursor?,
        maxBytes: Int,
        maxRows: Int,
        into lines: inout [UInt8]
    ) throws -> (rows: Int, next: ReadModelCursor?) {
        let subject = answer.subject
        let index = subject.kind == .commissioner ? databases.byCommissionerPeriod : databases.byProviderPeriod
        let prefix = ReadModelDatabases.key(subject.id, "") + ReadModelDatabases.periodRowKey(answer.scope)
        let start = cursor.map { prefix + ReadModelDatabases.rowKey($0.key, min($0.row, Int(UInt16.max))) } ?? prefix
        return try snapshot.read { txn in
            try txn.withCursor(index) { entries in
                var written = 0
                var json = [UInt8]()
                var parties: (contract: String, parties: ContractParties)?
                var entry = try entries.seek(atLeast: start)
                while let (key, _) = entry, key.starts(with: prefix), key.count >= prefix.count + 4 {
                    // The contract, a 0 byte and the row number (2 bytes).
                    let contract = String(decoding: key[prefix.count..<(key.count - 3)], as: UTF8.self)
                    let number = Int(key[key.count - 2]) << 8 | Int(key[key.count - 1])
                    if written == maxRows || (lines.count >= maxBytes && contract != parties?.contract) {
                        return (written, ReadModelCursor(key: contract, row: number))
                    }
                    if contract != parties?.contract {
                        guard let stored = try databases.stored(contract, in: txn) else {
                            throw ReadModelError.damaged("no record of contract \(contract), which an index names")
                        }
                        parties = (contract, stored.parties)
                    }
                    let row = try ReadModelDatabases.rowKey(contract, number).withUnsafeBytes { key in
                        try txn.get(databases.rows, key: key).flatMap(SettlementRow.init(stored:))
                    }
                    guard let row, let parties else {
                        throw ReadModelError.damaged("row \(number) of contract \(contract) is missing or damaged")
                    }
                    json.removeAll(keepingCapacity: true)
                    if answer.add(row, of: parties.parties, to: &json) {
                        Reply.row(encoded: json, to: &lines)
                        written += 1
                    }
                    entry = try entries.next()
                }
                return (written, nil)
            }
        }
    }

    /// Adds to `answer` the exceptions (of its commissioner, or everyone's) in log order from `cursor` on (its key the
    /// position in decimal, its row the exception's number there), appending a `ROW` line for each to `lines`, until it
    /// has written `maxRows` rows or `lines` holds `maxBytes` or more.
    /// - Returns: the rows written and where the next call goes on, nil when none is left.
    /// - Throws: `LMDBError`, or `ReadModelError.damaged` when a stored record does not decode.
    public func exceptions(
        _ answer: inout ExceptionsAcrossLog,
        from cursor: ReadModelCursor?,
        maxBytes: Int,
        maxRows: Int = .max,
        into lines: inout [UInt8]
    ) throws -> (rows: Int, next: ReadModelCursor?) {
        precondition(maxRows > 0, "a part of no rows")
        let prefix = answer.commissioner.map { ReadModelDatabases.key($0, "") } ?? []
        let index = answer.commissioner == nil ? databases.exceptions : databases.exceptionsByCommissioner
        // The cursor's position and number; one past every position when they do not fit the key.
        let start = cursor.map { cursor -> [UInt8] in
            guard let position = UInt64(cursor.key), cursor.row <= 255 else {
                return [UInt8](repeating: 0xFF, count: 10)
            }
            return ReadModelDatabases.exceptionKey(position, cursor.row)
        }
        return try snapshot.read { txn in
            try txn.withCursor(index) { entries in
                var written = 0
                let seek = prefix + (start ?? [])
                var entry = seek.isEmpty ? try entries.first() : try entries.seek(atLeast: seek)
                while let (key, value) = entry, key.starts(with: prefix), key.count == prefix.count + 9 {
                    let exceptionKey = Array(key[prefix.count...])
                    let stored =
                        answer.commissioner == nil
                        ? StoredExceptionRow(stored: value)
                        : try txn.get(databases.exceptions, key: UnsafeRawBufferPointer(rebasing: key[prefix.count...]))
                            .flatMap(StoredExceptionRow.init(stored:))
                    guard let stored else {
                        throw ReadModelError.damaged("the exception at \(exceptionKey) is missing or damaged")
                    }
                    if written == maxRows || lines.count >= maxBytes {
                        let position = exceptionKey[..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                        return (written, ReadModelCursor(key: String(position), row: Int(exceptionKey[8])))
                    }
                    answer.add(kind: stored.kind)
                    Reply.row(encoded: stored.json, to: &lines)
                    written += 1
                    entry = try entries.next()
                }
                return (written, nil)
            }
        }
    }

    /// The answer to `quality provider <provider>`: its standing, its evaluations in requirement order and its
    /// attainment under each contract; nil when the provider has no standing here (it is not registered).
    /// - Throws: `LMDBError`, or `ReadModelError.damaged` when a stored record does not decode.
    public func quality(provider: String) throws -> QualityOfProvider? {
        try snapshot.read { txn in
            let standing = try ReadModelDatabases.key(provider).withUnsafeBytes { key in
                try txn.get(databases.providerStanding, key: key).map(ProviderStanding.init(stored:))
            }
            guard let standing else { return nil }
            guard let standing else { throw ReadModelError.damaged("the standing of provider \(provider)") }
            var answer = QualityOfProvider(provider: provider, standing: standing)
            let prefix = ReadModelDatabases.key(provider, "")
            for database in [databases.evaluations, databases.attainments] {
                try txn.withCursor(database) { entries in
                    var entry = try entries.seek(atLeast: prefix)
                    while let (key, value) = entry, key.starts(with: prefix) {
                        if database == databases.evaluations {
                            guard let evaluation = EvaluationRow(stored: value) else {
                                throw ReadModelError.damaged("an evaluation of provider \(provider)")
                            }
                            answer.add(evaluation)
                        } else {
                            guard let attainment = ProviderAttainment(stored: value) else {
                                throw ReadModelError.damaged("an attainment of provider \(provider)")
                            }
                            answer.add(attainment)
                        }
                        entry = try entries.next()
                    }
                }
            }
            return answer
        }
    }

    /// The answer to `market commissioner <id> [period]` from the commissioner's tally of the period's months, as of
    /// this state (whose last event was recorded at `recorded`).
    /// - Throws: `LMDBError`, or `ReadModelError.damaged` when a stored record does not decode.
    public func market(_ query: MarketOfCommissioner, recorded: String) throws -> QueryResult {
        try snapshot.read { txn in
            var tally = MarketTally()
            if let stored = try txn.getBytes(
                databases.market,
                key: ReadModelDatabases.marketKey(query.commissioner, query.scope)
            ) {
                guard let decoded = stored.withUnsafeBytes(MarketTally.init(stored:)) else {
                    throw ReadModelError.damaged("the market tally of commissioner \(query.commissioner)")
                }
                tally = decoded
            }
            var damaged: String?
            let result = query.answer(tally, recorded: recorded) { consortium in
                do {
                    return try ReadModelDatabases.key(consortium).withUnsafeBytes { key in
                        try txn.get(databases.consortia, key: key).flatMap(ConsortiumMembers.init(stored:))
                    }
                } catch {
                    damaged = "the members of consortium \(consortium): \(error)"
                    return nil
                }
            }
            if let damaged { throw ReadModelError.damaged(damaged) }
            return result
        }
    }

    /// The streams the answer to `arguments` reads when it is about one entity's history, named by the links this
    /// state holds (`HistoryLinks.streams(answering:)`); nil for the other queries.
    public func streams(answering arguments: [String]) throws -> [String]? {
        try snapshot.read { txn in
            HistoryLinks.streams(answering: arguments, links: StoredLinks(txn: txn, databases: databases))
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
