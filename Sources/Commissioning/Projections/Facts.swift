import LedgerJSON

/// The normalized facts every projection derives its answers from: entities and what happened to them, plus the
/// retracted event ids. Queries compute figures from these facts, so a correction simply hides the fact it retracts.
struct Facts: Sendable, Equatable {
    var commissioners: [String: CommissionerRecord] = [:]
    var providers: [String: ProviderRecord] = [:]
    var consortia: [String: ConsortiumRecord] = [:]
    var cases: [String: CaseRecord] = [:]
    var requirements: [String: RequirementRecord] = [:]
    var contracts: [String: ContractRecord] = [:]
    var corrections: [CorrectionRecord] = []
    /// The event ids retracted by corrections, by the stream the corrections were appended to.
    var retractions: [String: Set<String>] = [:]
    /// Whether the histories of cases, requirements and contracts are kept (`Projections.Scope.everything`), or only
    /// the registries and the facts that create those entities and link them (`.registries`).
    var keepsHistories = true
    /// In `.registries` scope, the cases, requirements and contracts and their links (their facts are not kept).
    var links = EntityLinkTable()

    /// Whether the fact with `stamp` on `stream` has been retracted by a correction on the same stream.
    func isRetracted(_ stamp: Stamp, on stream: String) -> Bool {
        retractions[stream]?.contains(stamp.id) ?? false
    }

    /// The facts of `list` (all on `stream`) that are not retracted.
    func live<Value>(_ list: [Stamped<Value>], on stream: String) -> [Stamped<Value>] {
        guard let retracted = retractions[stream] else { return list }
        return list.filter { !retracted.contains($0.stamp.id) }
    }

    /// Records one decoded event; returns false (recording nothing) when its entity is missing or already exists.
    /// Only a correction asks for its `stream`.
    mutating func record(
        _ event: CatalogueEvent,
        id: String,
        stream: @autoclosure () -> String,
        stamp: Stamp
    ) -> Bool {
        if !keepsHistories {
            if let applies = historyFactApplies(event, id: id, stream: stream()) { return applies }
            if let linked = link(event, id: id, position: stamp.position) { return linked }
        }
        switch event {
        case .commissionerRegistered(let value):
            guard commissioners.index(forKey: id) == nil else { return false }
            commissioners[id] = CommissionerRecord(registration: Stamped(stamp: stamp, value: value))
        case .providerRegistered(let value):
            guard providers.index(forKey: id) == nil else { return false }
            providers[id] = ProviderRecord(registration: Stamped(stamp: stamp, value: value))
        case .providerRatingChanged(let value):
            return providers.modify(id) { $0.ratings.append(Stamped(stamp: stamp, value: value)) } != nil
        case .providerScaleChanged(let value):
            return providers.modify(id) { $0.scales.append(Stamped(stamp: stamp, value: value)) } != nil
        case .consortiumRegistered(let value):
            guard consortia.index(forKey: id) == nil else { return false }
            consortia[id] = ConsortiumRecord(registration: Stamped(stamp: stamp, value: value))
        case .needAssessed(let value):
            guard cases.index(forKey: id) == nil else { return false }
            cases[id] = CaseRecord(need: Stamped(stamp: stamp, value: value))
        case .requirementPublished(let value):
            guard requirements.index(forKey: id) == nil else { return false }
            requirements[id] = RequirementRecord(publication: Stamped(stamp: stamp, value: value))
            cases.modify(value.caseID) { $0.requirements.append(id) }
        case .offerSubmitted(var value):
            return requirements.modify(id) { (requirement) -> Void in
                // Offers for a requirement mostly cover the same outcomes: the list is kept once, not once per offer.
                if let earlier = requirement.offers.last?.value.outcomes, earlier == value.outcomes {
                    value.outcomes = earlier
                }
                requirement.offers.append(Stamped(stamp: stamp, value: value))
            } != nil
        case .offersEvaluated(let value):
            return requirements.modify(id) { $0.evaluations.append(Stamped(stamp: stamp, value: value)) } != nil
        case .providerSelected(let value):
            return requirements.modify(id) { $0.selections.append(Stamped(stamp: stamp, value: value)) } != nil
        case .contractAgreed(let value):
            guard contracts.index(forKey: id) == nil else { return false }
            contracts[id] = ContractRecord(agreement: Stamped(stamp: stamp, value: value))
            requirements.modify(value.requirement) { $0.contracts.append(id) }
        default:
            return recordContractEvent(event, id: id, stream: stream(), stamp: stamp)
        }
        return true
    }

    /// Whether `event`, a fact of a case's, requirement's or contract's history that `.registries` does not keep,
    /// applies (its entity exists); nil for the facts every scope keeps.
    private func historyFactApplies(
        _ event: CatalogueEvent,
        id: String,
        stream: @autoclosure () -> String
    ) -> Bool? {
        switch event {
        case .offerSubmitted, .offersEvaluated, .providerSelected:
            links.requirements.index(forKey: id) != nil
        case .contractVaried, .contractEnded, .contractTransferred, .serviceDelivered, .outcomeMeasured, .verification,
            .paymentApproved,
            .paymentMade, .creditSettlement, .qualityAssessed, .populationMeasured:
            links.contracts.index(forKey: id) != nil
        case .correction:
            EntityKind.parse(stream: stream())?.kind.isRegistry == false ? true : nil
        default:
            nil
        }
    }

    /// In `.registries` scope, records what the creating fact `event` links (nothing when its entity already
    /// exists) and returns whether it applied; nil for the other facts.
    private mutating func link(_ event: CatalogueEvent, id: String, position: UInt64) -> Bool? {
        switch event {
        case .needAssessed:
            return recordLink(.case, id, position: position)
        case .requirementPublished(let value):
            return recordLink(.requirement, id, position: position, to: value.caseID)
        case .contractAgreed(let value):
            guard case .consortium(let consortium) = value.supplier else {
                return recordLink(.contract, id, position: position, to: value.requirement)
            }
            return recordLink(.contract, id, position: position, to: value.requirement, consortium: consortium)
        default:
            return nil
        }
    }

    /// Records that the case, requirement or contract `id` was created at `position`, linked to the case of a
    /// requirement or the requirement of a contract (and a contract's consortium), as `.registries` keeps it;
    /// returns false (recording nothing) when it already exists.
    mutating func recordLink(
        _ kind: EntityKind,
        _ id: String,
        position: UInt64,
        to parent: String = "",
        consortium: String? = nil
    ) -> Bool {
        switch kind {
        case .case:
            guard links.cases.index(forKey: id) == nil else { return false }
            links.cases[id] = EntityLinkTable.Case(position: position)
        case .requirement:
            guard links.requirements.index(forKey: id) == nil else { return false }
            links.requirements[id] = EntityLinkTable.Requirement(position: position, caseID: parent)
            links.cases.modify(parent) { $0.requirements.append(id) }
        case .contract:
            guard links.contracts.index(forKey: id) == nil else { return false }
            links.contracts[id] = EntityLinkTable.Contract(
                position: position,
                requirement: parent,
                consortium: consortium
            )
            links.requirements.modify(parent) { $0.contracts.append(id) }
        case .commissioner, .provider, .consortium:
            return false
        }
        return true
    }

    private mutating func recordContractEvent(
        _ event: CatalogueEvent,
        id: String,
        stream: @autoclosure () -> String,
        stamp: Stamp
    ) -> Bool {
        if case .correction(let value) = event {
            let stream = stream()
            corrections.append(CorrectionRecord(stream: stream, correction: Stamped(stamp: stamp, value: value)))
            retractions[stream, default: []].insert(value.retracts)
            return true
        }
        let recorded = contracts.modify(id) { contract in
            switch event {
            case .contractVaried(let value): contract.variations.append(Stamped(stamp: stamp, value: value))
            case .contractEnded(let value): contract.endings.append(Stamped(stamp: stamp, value: value))
            case .contractTransferred(let value): contract.transfers.append(Stamped(stamp: stamp, value: value))
            case .serviceDelivered(let value): contract.deliveries.append(Stamped(stamp: stamp, value: value))
            case .outcomeMeasured(let value): contract.measurements.append(Stamped(stamp: stamp, value: value))
            case .verification(var value):
                // Decisions under a contract are mostly by the same role: its text is kept once, not once per fact.
                if let earlier = contract.decisions.last?.value.by, earlier == value.by { value.by = earlier }
                contract.decisions.append(Stamped(stamp: stamp, value: value))
            case .paymentApproved(let value): contract.approvals.append(Stamped(stamp: stamp, value: value))
            case .paymentMade(let value): contract.payments.append(Stamped(stamp: stamp, value: value))
            case .creditSettlement(let value): contract.creditSettlements.append(Stamped(stamp: stamp, value: value))
            case .qualityAssessed(let value): contract.qualityAssessments.append(Stamped(stamp: stamp, value: value))
            case .populationMeasured(let value):
                contract.populationMeasurements.append(Stamped(stamp: stamp, value: value))
            default: return false
            }
            return true
        }
        return recorded ?? false
    }
}

extension Dictionary {
    /// Changes the value for `key` in place and returns what `change` returns; nil when there is no such value.
    ///
    /// (`dictionary[key]?.list.append(x)` was measured to copy the value, and so `list`, on every call.)
    @discardableResult
    mutating func modify<Result>(_ key: Key, _ change: (inout Value) -> Result) -> Result? {
        guard let index = index(forKey: key) else { return nil }
        return change(&values[index])
    }
}
