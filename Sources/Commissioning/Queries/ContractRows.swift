/// A contract's parties and its settlement rows, period by period: what a read model keeps of it for the queries
/// across the log.
public struct ContractRows: Sendable, Equatable {
    public let contract: String
    public let parties: ContractParties
    public let rows: [SettlementRow]
    /// The exceptions `audit exceptions` lists for the contract: periods paid beyond their evidence.
    public let exceptions: [ExceptionRow]
    /// Each provider's attainment on the work it delivered under the contract.
    public let attainments: [String: ProviderAttainment]
    /// Its parts of its commissioner's market, one per settled period.
    public let market: [MarketPart]
    /// The providers whose rating its reward for quality reads.
    public let ratedProviders: Set<String>

    /// Every provider the contract's payments name: its contractor or its consortium's integrator, each provider
    /// holding a share of a period after a transfer, and each member a period passes money through to.
    public var providers: Set<String> {
        var providers = Set(rows.flatMap { $0.passThroughs.map(\.member) })
        for row in rows { providers.formUnion(row.holders.compactMap { $0.holder?.provider }) }
        if let contractor = parties.contractor { providers.insert(contractor) }
        if let integrator = parties.integrator { providers.insert(integrator) }
        return providers
    }
}

/// What the read models keep of a requirement: its exceptions, and the evaluations of providers' offers on it.
public struct RequirementRows: Sendable, Equatable {
    public let requirement: String
    public let exceptions: [ExceptionRow]
    public let evaluations: [EvaluationRow]
    /// Its part of its commissioner's market.
    public let market: MarketPart
}

/// Who a contract's payments concern, as the payment queries place a provider.
public struct ContractParties: Sendable, Equatable {
    public let commissioner: String
    /// The provider holding the contract, when a provider (not a consortium) holds it.
    public let contractor: String?
    /// The consortium holding it, when a consortium holds it.
    public let consortium: String?
    /// The integrator of the consortium holding it, when a consortium holds it.
    public let integrator: String?
    /// The other commissioners paying into its pooled budget, when it has one.
    public let partners: [String]

    public init(
        commissioner: String,
        contractor: String?,
        consortium: String? = nil,
        integrator: String?,
        partners: [String] = []
    ) {
        self.commissioner = commissioner
        self.contractor = contractor
        self.consortium = consortium
        self.integrator = integrator
        self.partners = partners
    }

    /// Every commissioner paying for it: the commissioner (a pool's host), then its partners.
    public var payers: [String] { [commissioner] + partners }
}

extension Projections {
    /// The contract's parties and settlement rows as of this position; nil for an unknown contract.
    public func contractRows(_ id: String) -> ContractRows? {
        guard let record = facts.contracts[id] else { return nil }
        let periods = ContractSettlement(facts: facts, id: id, record: record).periods()
        return ContractRows(
            contract: id,
            parties: parties(of: record),
            rows: periods.map(SettlementRow.init),
            exceptions: exceptions(ofContract: id, record, periods),
            attainments: attainments(ofContract: id),
            market: marketParts(ofContract: id, record, periods),
            ratedProviders: Set(periods.compactMap(\.ratedProvider))
        )
    }

    /// What the read models keep of the requirement `id`; nil for an unknown requirement.
    public func requirementRows(_ id: String) -> RequirementRows? {
        facts.requirements[id].map { record in
            RequirementRows(
                requirement: id,
                exceptions: exceptions(ofRequirement: id, record),
                evaluations: evaluationRows(ofRequirement: id),
                market: marketPart(ofRequirement: id, record)
            )
        }
    }

    /// Who the contract's payments concern.
    func parties(of record: ContractRecord) -> ContractParties {
        let agreement = record.agreement.value
        let partners = agreement.pool.dropFirst().map(\.commissioner)
        switch agreement.supplier {
        case .provider(let provider):
            return ContractParties(
                commissioner: agreement.commissioner,
                contractor: provider,
                integrator: nil,
                partners: partners
            )
        case .consortium(let consortium):
            let integrator = facts.consortia[consortium]?.registration.value.integrator
            return ContractParties(
                commissioner: agreement.commissioner,
                contractor: nil,
                consortium: consortium,
                integrator: integrator,
                partners: partners
            )
        }
    }

    /// Whether `id` is a registered entity of `kind` (a commissioner or provider) as of this position.
    public func isRegistered(_ kind: EntityKind, _ id: String) -> Bool {
        switch kind {
        case .commissioner: facts.commissioners[id] != nil
        case .provider: facts.providers[id] != nil
        case .consortium: facts.consortia[id] != nil
        case .case, .requirement, .contract: creation(of: kind, id) != nil
        }
    }

    /// The recorded time of the last applied event ("" before any): "today" for the queries is its day.
    public var recordedAtPosition: String { lastRecorded }
}

/// What a read model keeps of a contract beside its rows: its parties, the providers its payments name (so that an
/// index of them can be undone when they change) and each row's month.
public struct StoredContract: Sendable, Equatable {
    public let parties: ContractParties
    public let providers: [String]
    /// Each row's month (`Period.index`), in row order.
    public let months: [Int32]
    public var rowCount: Int { months.count }

    public init(_ rows: ContractRows) {
        parties = rows.parties
        providers = rows.providers.sorted()
        months = rows.rows.map(\.month)
    }

    /// The stored form.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        writer.text(parties.commissioner)
        writer.text(parties.contractor ?? "")
        writer.text(parties.integrator ?? "")
        writer.text(parties.consortium ?? "")
        writer.int(Int64(months.count))
        for month in months { writer.int(Int64(month)) }
        writer.int(Int64(parties.partners.count))
        for partner in parties.partners { writer.text(partner) }
        for provider in providers { writer.text(provider) }
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a record.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let commissioner = reader.text(), let contractor = reader.text(), let integrator = reader.text(),
            let consortium = reader.text(),
            let rowCount = reader.offset(within: reader.remaining.count / 8)
        else { return nil }
        var months = [Int32]()
        for _ in 0..<rowCount {
            guard let month = reader.int().flatMap(Int32.init(exactly:)) else { return nil }
            months.append(month)
        }
        guard let partnerCount = reader.offset(within: reader.remaining.count / 8) else { return nil }
        var partners = [String]()
        for _ in 0..<partnerCount {
            guard let partner = reader.text() else { return nil }
            partners.append(partner)
        }
        var providers = [String]()
        while !reader.remaining.isEmpty {
            guard let provider = reader.text() else { return nil }
            providers.append(provider)
        }
        parties = ContractParties(
            commissioner: commissioner,
            contractor: contractor.isEmpty ? nil : contractor,
            consortium: consortium.isEmpty ? nil : consortium,
            integrator: integrator.isEmpty ? nil : integrator,
            partners: partners
        )
        self.providers = providers
        self.months = months
    }
}

extension Projections {
    /// Every registered entity of `kind` (a commissioner or provider), in no particular order.
    public func registered(_ kind: EntityKind) -> [String] {
        switch kind {
        case .commissioner: Array(facts.commissioners.keys)
        case .provider: Array(facts.providers.keys)
        case .consortium: Array(facts.consortia.keys)
        case .case: facts.keepsHistories ? Array(facts.cases.keys) : Array(facts.links.cases.keys)
        case .requirement:
            facts.keepsHistories ? Array(facts.requirements.keys) : Array(facts.links.requirements.keys)
        case .contract: facts.keepsHistories ? Array(facts.contracts.keys) : Array(facts.links.contracts.keys)
        }
    }
}
