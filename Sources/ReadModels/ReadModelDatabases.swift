import Commissioning
import LMDB

/// The named databases of the read-model store. Keys join identifiers (which never hold a 0 byte) with a 0 byte, so
/// that a prefix scan lists one entity's entries in the byte order of the next part, the order answers list them in.
///
/// - `meta`: `format` -> the layout's version; `ledger` -> the ledger id; `position` -> 8-byte big-endian;
///   `recorded` -> the recorded time of the event there.
/// - `contracts`: contract -> `StoredContract` (parties, the providers its payments name, its row count).
/// - `rows`: contract, 0, row number (2-byte big-endian) -> `SettlementRow.stored`.
/// - `by-commissioner`: commissioner, 0, contract -> empty (each commissioner paying: a pool's partners too).
/// - `by-provider`: provider, 0, contract -> empty (a provider as contractor, integrator or member).
/// - `by-commissioner-period`, `by-provider-period`: commissioner or provider, 0, `periodRowKey` (a year or month,
///   then a contract and one of its rows) -> empty, for the rows of that year or month a payments answer lists.
/// - `entities`: kind, 0, id -> empty, for each registered commissioner and provider.
/// - `exceptions`: position (8-byte big-endian), number among its entity's exceptions at that position (1 byte) ->
///   `StoredExceptionRow`, in the log order `audit exceptions` lists them.
/// - `exceptions-by-commissioner`: commissioner, 0, the `exceptions` key -> empty.
/// - `exception-keys`: kind (`contract` or `requirement`), 0, id -> the `exceptions` keys of the entity's exceptions,
///   so that they can be replaced.
/// - `provider-standing`: provider -> `ProviderStanding` (rating rows, rating and scale now).
/// - `evaluations`: provider, 0, requirement, 0, number (2-byte big-endian) -> `EvaluationRow`.
/// - `evaluation-keys`: requirement -> the providers with evaluations on it (texts), so they can be replaced.
/// - `attainments`: provider, 0, contract -> `ProviderAttainment`.
/// - `attainment-keys`: contract -> the providers with attainment under it, so they can be replaced.
/// - `market`: commissioner, 0, `a` (every month), `y` and a year or `m` and a month (4-byte big-endian) ->
///   `MarketTally`, the sum of the parts counted in those months.
/// - `market-parts`: `contract` or `requirement`, 0, id -> the entity's `MarketPart`s, so they can be taken away.
/// - `requirements-by-provider`: provider, 0, requirement -> empty, for each provider a requirement invited (its
///   market part reads the provider's scale then, which a correction on the provider's stream may change).
/// - `rated-contracts`: provider, 0, contract -> empty, for each provider whose rating a contract's reward for
///   quality reads; `rated-keys`: contract -> those providers (texts), so they can be replaced.
/// - `consortia`: consortium -> `ConsortiumMembers`.
/// - `links`: `contract`, 0, id -> its requirement, 0, its consortium (or nothing); `requirement`, 0, id -> its case,
///   then each contract agreed from it, joined by 0 bytes; `case`, 0, id -> its requirements, joined by 0 bytes. The
///   `HistoryLinks` the queries about one entity name their streams with.
struct ReadModelDatabases: Sendable {
    let meta: Database
    let contracts: Database
    let rows: Database
    let byCommissioner: Database
    let byProvider: Database
    let byCommissionerPeriod: Database
    let byProviderPeriod: Database
    let entities: Database
    let exceptions: Database
    let exceptionsByCommissioner: Database
    let exceptionKeys: Database
    let providerStanding: Database
    let evaluations: Database
    let evaluationKeys: Database
    let attainments: Database
    let attainmentKeys: Database
    let market: Database
    let marketParts: Database
    let requirementsByProvider: Database
    let ratedContracts: Database
    let ratedKeys: Database
    let consortia: Database
    let links: Database

    init(environment: Environment) throws {
        meta = try environment.openDatabase("meta")
        contracts = try environment.openDatabase("contracts")
        rows = try environment.openDatabase("rows")
        byCommissioner = try environment.openDatabase("by-commissioner")
        byProvider = try environment.openDatabase("by-provider")
        byCommissionerPeriod = try environment.openDatabase("by-commissioner-period")
        byProviderPeriod = try environment.openDatabase("by-provider-period")
        entities = try environment.openDatabase("entities")
        exceptions = try environment.openDatabase("exceptions")
        exceptionsByCommissioner = try environment.openDatabase("exceptions-by-commissioner")
        exceptionKeys = try environment.openDatabase("exception-keys")
        providerStanding = try environment.openDatabase("provider-standing")
        evaluations = try environment.openDatabase("evaluations")
        evaluationKeys = try environment.openDatabase("evaluation-keys")
        attainments = try environment.openDatabase("attainments")
        attainmentKeys = try environment.openDatabase("attainment-keys")
        market = try environment.openDatabase("market")
        marketParts = try environment.openDatabase("market-parts")
        requirementsByProvider = try environment.openDatabase("requirements-by-provider")
        ratedContracts = try environment.openDatabase("rated-contracts")
        ratedKeys = try environment.openDatabase("rated-keys")
        consortia = try environment.openDatabase("consortia")
        links = try environment.openDatabase("links")
    }

    /// Stores the links of an entity: `texts` joined by 0 bytes under `kind`, 0, `id`.
    func putLinks(_ kind: EntityKind, _ id: String, _ texts: [String], in txn: Transaction) throws {
        try putTexts(texts, in: links, key: Self.key(kind.rawValue, id), txn: txn)
    }

    static func key(_ parts: String...) -> [UInt8] {
        Array(parts.joined(separator: "\u{0}").utf8)
    }

    static func rowKey(_ contract: String, _ number: Int) -> [UInt8] {
        precondition((0...Int(UInt16.max)).contains(number), "a contract with more than 65,536 settlement rows")
        return key(contract, "") + [UInt8(number >> 8), UInt8(number & 0xFF)]
    }

    func state(in txn: Transaction) throws -> ReadModelState? {
        guard try txn.getBytes(meta, key: Array("format".utf8)) == [ReadModelStore.format],
            let position = try txn.getBytes(meta, key: Array("position".utf8)), position.count == 8,
            let recorded = try txn.getBytes(meta, key: Array("recorded".utf8)),
            let ledger = try txn.getBytes(meta, key: Array("ledger".utf8))
        else { return nil }
        return ReadModelState(
            ledger: String(decoding: ledger, as: UTF8.self),
            position: position.reduce(0) { $0 << 8 | UInt64($1) },
            recorded: String(decoding: recorded, as: UTF8.self)
        )
    }

    func setState(_ state: ReadModelState, in txn: Transaction) throws {
        try txn.put(meta, key: Array("format".utf8), value: [ReadModelStore.format])
        let position = (0..<8).reversed().map { UInt8(truncatingIfNeeded: state.position >> (8 * $0)) }
        try txn.put(meta, key: Array("position".utf8), value: position)
        try txn.put(meta, key: Array("recorded".utf8), value: Array(state.recorded.utf8))
        try txn.put(meta, key: Array("ledger".utf8), value: Array(state.ledger.utf8))
    }

    /// Replaces what is stored of `contract` with its rows, parties and index entries now.
    func replace(_ contract: ContractRows, market deltas: inout MarketDeltas, in txn: Transaction) throws {
        let id = contract.contract
        let new = StoredContract(contract)
        let old = try stored(id, in: txn)
        if let old {
            for number in new.rowCount..<max(new.rowCount, old.rowCount) {
                _ = try txn.delete(rows, key: Self.rowKey(id, number))
            }
            for provider in old.providers where !new.providers.contains(provider) {
                _ = try txn.delete(byProvider, key: Self.key(provider, id))
            }
            for (number, month) in old.months.enumerated() {
                for scope in Self.periodScopes(month) {
                    let row = Self.periodRowKey(scope, id, number)
                    for commissioner in old.parties.payers {
                        _ = try txn.delete(byCommissionerPeriod, key: Self.key(commissioner, "") + row)
                    }
                    for provider in old.providers {
                        _ = try txn.delete(byProviderPeriod, key: Self.key(provider, "") + row)
                    }
                }
            }
        }
        for (number, row) in contract.rows.enumerated() {
            try txn.put(rows, key: Self.rowKey(id, number), value: row.stored)
            for scope in Self.periodScopes(row.month) {
                let key = Self.periodRowKey(scope, id, number)
                for commissioner in new.parties.payers {
                    try txn.put(byCommissionerPeriod, key: Self.key(commissioner, "") + key, value: [])
                }
                for provider in new.providers where row.concerns(provider: provider, parties: new.parties) {
                    try txn.put(byProviderPeriod, key: Self.key(provider, "") + key, value: [])
                }
            }
        }
        try txn.put(contracts, key: Self.key(id), value: new.stored)
        for commissioner in new.parties.payers {
            try txn.put(byCommissioner, key: Self.key(commissioner, id), value: [])
        }
        for provider in new.providers { try txn.put(byProvider, key: Self.key(provider, id), value: []) }
        try replaceExceptions(of: .contract, id, with: contract.exceptions, in: txn)
        let attaining = try txn.getBytes(attainmentKeys, key: Self.key(id)).map(Self.texts) ?? []
        for provider in attaining where contract.attainments[provider] == nil {
            _ = try txn.delete(attainments, key: Self.key(provider, id))
        }
        for (provider, attainment) in contract.attainments {
            try txn.put(attainments, key: Self.key(provider, id), value: attainment.stored)
        }
        try putTexts(contract.attainments.keys.sorted(), in: attainmentKeys, key: Self.key(id), txn: txn)
        for provider in try txn.getBytes(ratedKeys, key: Self.key(id)).map(Self.texts) ?? [] {
            _ = try txn.delete(ratedContracts, key: Self.key(provider, id))
        }
        for provider in contract.ratedProviders { try txn.put(ratedContracts, key: Self.key(provider, id), value: []) }
        try putTexts(contract.ratedProviders.sorted(), in: ratedKeys, key: Self.key(id), txn: txn)
        try replaceMarketParts(of: .contract, id, with: contract.market, deltas: &deltas, in: txn)
    }

    /// The scopes a row of `month` is listed under in the period indexes: its year's and its month's.
    static func periodScopes(_ month: Int32) -> [PeriodScope] { [.year(month / 12), .month(month)] }

    /// The part of a period index's key after the commissioner or provider: the scope (`y` and a year or `m` and a
    /// month, 4-byte big-endian), 0, then the contract, 0 and the row number (2-byte big-endian) when given.
    static func periodRowKey(_ scope: PeriodScope, _ contract: String? = nil, _ number: Int = 0) -> [UInt8] {
        func bigEndian(_ value: Int32) -> [UInt8] {
            (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        let head: [UInt8] =
            switch scope {
            case .all: preconditionFailure("the period indexes list years and months, not all months")
            case .year(let year): [UInt8(ascii: "y")] + bigEndian(year) + [0]
            case .month(let month): [UInt8(ascii: "m")] + bigEndian(month) + [0]
            }
        guard let contract else { return head }
        return head + rowKey(contract, number)
    }

    /// Replaces the market parts of the contract or requirement `id` with `parts`, noting the difference in `deltas`.
    private func replaceMarketParts(
        of kind: EntityKind,
        _ id: String,
        with parts: [MarketPart],
        deltas: inout MarketDeltas,
        in txn: Transaction
    ) throws {
        let entity = Self.key(kind.rawValue, id)
        if let old = try txn.getBytes(marketParts, key: entity) {
            guard let oldParts = old.withUnsafeBytes(MarketPart.parts(stored:)) else {
                throw ReadModelError.damaged("the market parts of \(kind.rawValue) \(id)")
            }
            for part in oldParts { deltas.add(part, sign: -1) }
        }
        for part in parts { deltas.add(part, sign: 1) }
        if parts.isEmpty {
            _ = try txn.delete(marketParts, key: entity)
        } else {
            try txn.put(marketParts, key: entity, value: MarketPart.stored(parts))
        }
    }

    /// The `market` key of `commissioner`'s tally for `scope`.
    static func marketKey(_ commissioner: String, _ scope: PeriodScope) -> [UInt8] {
        func bigEndian(_ value: Int32) -> [UInt8] {
            (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        return switch scope {
        case .all: key(commissioner, "") + [UInt8(ascii: "a")]
        case .year(let year): key(commissioner, "") + [UInt8(ascii: "y")] + bigEndian(year)
        case .month(let month): key(commissioner, "") + [UInt8(ascii: "m")] + bigEndian(month)
        }
    }

    /// Adds `deltas` to the stored tallies.
    func apply(_ deltas: MarketDeltas, in txn: Transaction) throws {
        for (key, delta) in deltas.byKey {
            var tally = MarketTally()
            if let stored = try txn.getBytes(market, key: key) {
                guard let decoded = stored.withUnsafeBytes(MarketTally.init(stored:)) else {
                    throw ReadModelError.damaged("a market tally")
                }
                tally = decoded
            }
            tally.add(delta)
            if tally == MarketTally() {
                _ = try txn.delete(market, key: key)
            } else {
                try txn.put(market, key: key, value: tally.stored)
            }
        }
    }

    /// Replaces what is stored of the requirement: its exceptions and the evaluations of providers' offers on it.
    func replace(_ requirement: RequirementRows, market deltas: inout MarketDeltas, in txn: Transaction) throws {
        let id = requirement.requirement
        try replaceMarketParts(of: .requirement, id, with: [requirement.market], deltas: &deltas, in: txn)
        // A requirement's invitations never change, so its providers' entries are only ever added.
        for provider in requirement.market.tally.invitedProviders {
            try txn.put(requirementsByProvider, key: Self.key(provider, id), value: [])
        }
        try replaceExceptions(of: .requirement, id, with: requirement.exceptions, in: txn)
        for provider in try txn.getBytes(evaluationKeys, key: Self.key(id)).map(Self.texts) ?? [] {
            var number = 0
            while try txn.delete(evaluations, key: Self.evaluationKey(provider, id, number)) { number += 1 }
        }
        var numbers = [String: Int]()
        for evaluation in requirement.evaluations {
            let number = numbers[evaluation.provider, default: 0]
            numbers[evaluation.provider] = number + 1
            try txn.put(evaluations, key: Self.evaluationKey(evaluation.provider, id, number), value: evaluation.stored)
        }
        try putTexts(numbers.keys.sorted(), in: evaluationKeys, key: Self.key(id), txn: txn)
    }

    /// The `evaluations` key of the `number`th evaluation of `provider`'s offers on `requirement`.
    static func evaluationKey(_ provider: String, _ requirement: String, _ number: Int) -> [UInt8] {
        precondition((0...Int(UInt16.max)).contains(number), "more than 65,536 offers of one provider on a requirement")
        return key(provider, requirement, "") + [UInt8(number >> 8), UInt8(number & 0xFF)]
    }

    /// Stores `texts` under `key` (or removes the key when there are none).
    func putTexts(_ texts: [String], in database: Database, key: [UInt8], txn: Transaction) throws {
        guard !texts.isEmpty else {
            _ = try txn.delete(database, key: key)
            return
        }
        try txn.put(database, key: key, value: Array(texts.joined(separator: "\u{0}").utf8))
    }

    /// The texts `putTexts` stored.
    static func texts(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The `exceptions` key of an exception at `position`, the `number`th of its entity's there.
    static func exceptionKey(_ position: UInt64, _ number: Int) -> [UInt8] {
        precondition((0...255).contains(number), "an entity with more than 256 exceptions at one position")
        return (0..<8).reversed().map { UInt8(truncatingIfNeeded: position >> (8 * $0)) } + [UInt8(number)]
    }

    /// Replaces the stored exceptions of the contract or requirement `id` with `rows`.
    func replaceExceptions(of kind: EntityKind, _ id: String, with rows: [ExceptionRow], in txn: Transaction) throws {
        let entity = Self.key(kind.rawValue, id)
        if let old = try txn.getBytes(exceptionKeys, key: entity) {
            for start in stride(from: 0, to: old.count - old.count % 9, by: 9) {
                let key = Array(old[start..<(start + 9)])
                if let row = try txn.getBytes(exceptions, key: key),
                    let commissioner = row.withUnsafeBytes(StoredExceptionRow.init(stored:))?.commissioner
                {
                    _ = try txn.delete(exceptionsByCommissioner, key: Self.key(commissioner, "") + key)
                }
                _ = try txn.delete(exceptions, key: key)
            }
        }
        var keys = [UInt8]()
        var atPosition = [UInt64: Int]()
        for row in rows {
            let number = atPosition[row.position, default: 0]
            atPosition[row.position] = number + 1
            let key = Self.exceptionKey(row.position, number)
            try txn.put(exceptions, key: key, value: StoredExceptionRow.stored(row))
            try txn.put(exceptionsByCommissioner, key: Self.key(row.commissioner, "") + key, value: [])
            keys += key
        }
        if keys.isEmpty {
            _ = try txn.delete(exceptionKeys, key: entity)
        } else {
            try txn.put(exceptionKeys, key: entity, value: keys)
        }
    }

    /// What is stored of the contract `id`, if anything.
    func stored(_ id: String, in txn: Transaction) throws -> StoredContract? {
        try Self.key(id).withUnsafeBytes { key in
            try txn.get(contracts, key: key).flatMap(StoredContract.init(stored:))
        }
    }

    /// The contracts listed under `provider` in `by-provider`, in order.
    func contracts(naming provider: String, in txn: Transaction) throws -> [String] {
        try ids(under: provider, in: byProvider, txn: txn)
    }

    /// The requirements listed under `provider` in `requirements-by-provider`, in order.
    func requirements(naming provider: String, in txn: Transaction) throws -> [String] {
        try ids(under: provider, in: requirementsByProvider, txn: txn)
    }

    /// The contracts whose reward for quality reads `provider`'s rating.
    func contracts(ratedBy provider: String, in txn: Transaction) throws -> [String] {
        try ids(under: provider, in: ratedContracts, txn: txn)
    }

    /// The ids after `owner` and a 0 byte in the keys of the index `database`, in order.
    private func ids(under owner: String, in database: Database, txn: Transaction) throws -> [String] {
        let prefix = Self.key(owner, "")
        return try txn.withCursor(database) { cursor in
            var ids = [String]()
            var entry = try cursor.seek(atLeast: prefix)
            while let (key, _) = entry, key.starts(with: prefix) {
                ids.append(String(decoding: key[prefix.count...], as: UTF8.self))
                entry = try cursor.next()
            }
            return ids
        }
    }

    func register(_ kind: EntityKind, _ id: String, in txn: Transaction) throws {
        try txn.put(entities, key: Self.key(kind.rawValue, id), value: [])
    }

    func isRegistered(_ kind: EntityKind, _ id: String, in txn: Transaction) throws -> Bool {
        try txn.getBytes(entities, key: Self.key(kind.rawValue, id)) != nil
    }

    func empty(in txn: Transaction) throws {
        let all = [
            meta, contracts, rows, byCommissioner, byProvider, byCommissionerPeriod, byProviderPeriod, entities,
            exceptions, exceptionsByCommissioner,
            exceptionKeys, providerStanding, evaluations, evaluationKeys, attainments, attainmentKeys, market,
            marketParts, requirementsByProvider, ratedContracts, ratedKeys, consortia, links,
        ]
        for database in all { try txn.empty(database) }
    }
}

/// The changes to the stored market tallies one write makes, summed by tally so each is read and written once.
struct MarketDeltas {
    private(set) var byKey = [[UInt8]: MarketTally]()

    /// Adds `part` (`sign` 1) or takes it away (`sign` -1) in every tally it counts in.
    mutating func add(_ part: MarketPart, sign: Int64) {
        for scope in part.scopes {
            byKey[ReadModelDatabases.marketKey(part.commissioner, scope), default: MarketTally()].add(
                part.tally,
                sign: sign
            )
        }
    }
}

/// The links the store holds, read in a transaction (`HistoryLinks`'s, as of the store's position).
struct StoredLinks: EntityLinks {
    let txn: Transaction
    let databases: ReadModelDatabases

    private func texts(_ kind: EntityKind, _ id: String) -> [String] {
        let bytes = try? txn.getBytes(databases.links, key: ReadModelDatabases.key(kind.rawValue, id))
        return bytes.flatMap { $0 }.map(ReadModelDatabases.texts) ?? []
    }

    func requirement(ofContract id: String) -> String? { texts(.contract, id).first }
    func consortium(ofContract id: String) -> String? {
        texts(.contract, id).dropFirst().first.flatMap { $0.isEmpty ? nil : $0 }
    }
    func `case`(ofRequirement id: String) -> String? { texts(.requirement, id).first }
    func contracts(ofRequirement id: String) -> [String] { Array(texts(.requirement, id).dropFirst()) }
    func requirements(ofCase id: String) -> [String] { texts(.case, id) }
}
