/// What one requirement, or one contract's settlement for one period, adds to its commissioner's market: a tally
/// counted in the month it belongs to (a requirement's publication month, a settlement's period).
public struct MarketPart: Sendable, Equatable {
    public let commissioner: String
    /// The month's index (`Period.index`); nil for a requirement whose recorded time names no month, counted only
    /// in answers without a period.
    public let month: Int32?
    public let tally: MarketTally
}

extension Projections {
    /// The requirement's part of its commissioner's market: its route, the consortia it invited, which invited
    /// providers (by their scale and voluntary status when it was published) responded and were selected, and its
    /// standing decision's basis and whether (and why) the top-ranked offer lost.
    func marketPart(ofRequirement id: String, _ record: RequirementRecord) -> MarketPart {
        let publication = record.publication
        var tally = MarketTally()
        tally.requirements = 1
        tally.routes[publication.value.route.rawValue] = 1
        for consortium in publication.value.invitedConsortia { tally.consortia[consortium, default: 0] += 1 }
        let decision = facts.standingDecision(id)
        let stream = EntityKind.requirement.stream(id)
        let offered = Set(facts.live(record.offers, on: stream).compactMap(\.value.supplier.provider))
        for provider in Set(publication.value.invited) {
            guard let scale = facts.scale(of: provider, before: publication.stamp.position),
                let voluntary = facts.isVoluntary(provider, before: publication.stamp.position)
            else { continue }
            let key = MarketTally.accessKey(provider, scale, voluntary: voluntary)
            tally.access[key + AccessFigures.Metric.invited.rawValue] = 1
            if offered.contains(provider) { tally.access[key + AccessFigures.Metric.responded.rawValue] = 1 }
            if decision?.offer?.value.supplier.provider == provider {
                tally.access[key + AccessFigures.Metric.selected.rawValue] = 1
            }
        }
        if let decision {
            tally.selections = 1
            tally.bases[decision.selection.value.basis.rawValue] = 1
            if decision.topRankedLost {
                tally.lost = 1
                if let reason = decision.selection.value.reason {
                    tally.reasons[reason.rawValue] = 1
                    if reason.isUnavailability { tally.lostUnavailable = 1 } else { tally.lostOverride = 1 }
                } else {
                    tally.lostWithoutReason = 1
                }
            }
        }
        return MarketPart(
            commissioner: publication.value.commissioner,
            month: publication.stamp.recordedPeriod?.index,
            tally: tally
        )
    }

    /// The contract's parts of its commissioners' markets, one per settled period and commissioner paying (a pooled
    /// contract's partners count their shares): the spend by holder (and its SME and consortium parts), who did a
    /// consortium's work, and how promptly the period was paid. A period shared by holders after a transfer counts
    /// each one's share, and a person-month for each that held it a day or more.
    func marketParts(ofContract id: String, _ record: ContractRecord, _ periods: [PeriodSettlement]) -> [MarketPart] {
        let agreement = record.agreement
        let terms = TermsTimeline(
            agreement: agreement.value,
            variations: facts.live(record.variations, on: EntityKind.contract.stream(id))
        )
        return periods.flatMap { settlement in
            let holders: [(holder: Supplier, days: Int64, due: Int64)] =
                settlement.holders.isEmpty
                ? [(agreement.value.supplier, Int64(1), settlement.due)]
                : settlement.holders.compactMap { share in share.holder.map { ($0, share.weight, share.due) } }
            guard !settlement.payers.isEmpty else {
                return [
                    marketPart(of: settlement, agreement.value.commissioner, settlement, holders, terms, agreement)
                ]
            }
            let weights = settlement.payers.map(\.weight)
            let parts = holders.map { PenceMath.shares(of: $0.due, weights: weights) }
            // Only the pool's partners have a market part: a payer outside it has a share of nothing.
            return settlement.payers.enumerated().compactMap { index, payer in
                guard let commissioner = payer.payer, payer.weight > 0 else { return nil }
                // The partner's share of each holder's due, the first holder's taking what rounding leaves over its
                // share of the period.
                var own = zip(holders, parts).map { ($0.holder, $0.days, $1[index]) }
                own[0].2 = PenceMath.add(
                    own[0].2,
                    PenceMath.subtract(payer.due, own.reduce(0) { PenceMath.add($0, $1.2) })
                )
                return marketPart(of: settlement, commissioner, payer, own, terms, agreement)
            }
        }
    }

    /// One commissioner's part of a contract's settled period: `figures` are what it pays (the period's, or its share
    /// of a pooled one) and `holders` what of it each holder earned.
    private func marketPart(
        of settlement: PeriodSettlement,
        _ commissioner: String,
        _ figures: some SettlementFigures,
        _ holders: [(holder: Supplier, days: Int64, due: Int64)],
        _ terms: TermsTimeline,
        _ agreement: Stamped<ContractAgreement>
    ) -> MarketPart {
        var tally = MarketTally()
        tally.spend = figures.due
        for share in holders {
            // Who did the holder's work: a provider itself; a consortium's members, each its share.
            let doers: [(provider: String, due: Int64)]
            switch share.holder {
            case .provider(let provider):
                doers = [(provider, share.due)]
            case .consortium(let consortium):
                let workers = terms.work(at: settlement.period)?.workers ?? []
                doers =
                    workers.isEmpty
                    ? []
                    : zip(workers, PenceMath.shares(of: share.due, weights: workers.map(\.shareBp))).map {
                        ($0.provider, $1)
                    }
                tally.consortia[consortium] = 1
                for doer in doers where share.days > 0 { tally.worked["\(consortium)\u{0}\(doer.provider)"] = 1 }
                tally.consortiumSpend = PenceMath.add(tally.consortiumSpend, share.due)
            }
            for doer in doers {
                let position = agreement.stamp.position
                if facts.scale(of: doer.provider, before: position)?.isSME ?? false {
                    tally.smeSpend = PenceMath.add(tally.smeSpend, doer.due)
                }
                if facts.isVoluntary(doer.provider, before: position) ?? false {
                    tally.vcseSpend = PenceMath.add(tally.vcseSpend, doer.due)
                }
                let spend = PenceMath.add(tally.spendByDoer[doer.provider] ?? 0, doer.due)
                tally.spendByDoer[doer.provider] = spend == 0 ? nil : spend
                if share.days > 0 { tally.monthsByDoer[doer.provider] = 1 }
            }
            let holder = share.holder.stream
            let spend = PenceMath.add(tally.spendByHolder[holder] ?? 0, share.due)
            tally.spendByHolder[holder] = spend == 0 ? nil : spend
            tally.settlementsByHolder[holder] = 1
        }
        if figures.due > 0 {
            if let paidOn = figures.paidOn {
                if paidOn > settlement.dueOn { tally.paidLate = 1 } else { tally.paidOnTime = 1 }
            } else if figures.outstanding > 0 {
                tally.unpaidByDueOn[Int64(settlement.dueOn.ordinal)] = 1
            }
        }
        // The integrator's payments to its member are reported to the contract's commissioner (a pool's host).
        for passThrough in settlement.passThroughs
        where commissioner == agreement.value.commissioner && passThrough.duePence > 0 {
            if let paidOn = passThrough.paidOn {
                if paidOn > settlement.dueOn { tally.memberPaidLate += 1 } else { tally.memberPaidOnTime += 1 }
            } else if passThrough.outstandingPence > 0 {
                tally.memberUnpaidByDueOn[Int64(settlement.dueOn.ordinal)] = 1
            }
        }
        return MarketPart(commissioner: commissioner, month: settlement.period.index, tally: tally)
    }

    /// The consortium's integrator and members; nil for an unknown consortium.
    public func consortiumMembers(_ id: String) -> ConsortiumMembers? {
        facts.consortia[id].map {
            ConsortiumMembers(integrator: $0.registration.value.integrator, members: $0.registration.value.members)
        }
    }
}
