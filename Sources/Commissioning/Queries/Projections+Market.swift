import LedgerJSON

extension Projections {
    /// A commissioner's market: spend and its concentration, SME and integrator shares, routes to market, the basis
    /// of selections, how often the top-ranked offer lost and why, consortium members that got none of the
    /// commissioner's work ("bid candy"), and payment timeliness. Spend is what became due in the period; requirements
    /// and selections count by the month they were recorded.
    func market(commissioner id: String, period: PeriodFilter) throws(QueryError) -> QueryResult {
        guard facts.commissioners[id] != nil else { throw .notFound(.commissioner, id) }
        var routes = [String: Int64]()
        var bases = [String: Int64]()
        var reasons = [String: Int64]()
        var requirementCount: Int64 = 0
        var selections: Int64 = 0
        var lost = (total: Int64(0), unavailable: Int64(0), override: Int64(0), withoutReason: Int64(0))
        var consortiaInvolved = Set<String>()
        for requirementID in Self.sortedIDs(facts.requirements) {
            guard let record = facts.requirements[requirementID], record.publication.value.commissioner == id else {
                continue
            }
            guard period.contains(record.publication.stamp) else { continue }
            consortiaInvolved.formUnion(record.publication.value.invitedConsortia)
            requirementCount += 1
            routes[record.publication.value.route.rawValue, default: 0] += 1
            guard let decision = facts.standingDecision(requirementID) else { continue }
            selections += 1
            bases[decision.selection.value.basis.rawValue, default: 0] += 1
            guard decision.topRankedLost else { continue }
            lost.total += 1
            guard let reason = decision.selection.value.reason else {
                lost.withoutReason += 1
                continue
            }
            reasons[reason.rawValue, default: 0] += 1
            if reason.isUnavailability { lost.unavailable += 1 } else { lost.override += 1 }
        }
        var spend = SpendTally()
        var timeliness = TimelinessTally()
        // Who did each consortium's work for this commissioner in the period.
        var worked = [String: Set<String>]()
        for contract in settlements(where: { $1.agreement.value.commissioner == id }) {
            let agreement = contract.record.agreement
            let terms = TermsTimeline(
                agreement: agreement.value,
                variations: facts.live(contract.record.variations, on: EntityKind.contract.stream(contract.id))
            )
            for settlement in contract.periods where period.contains(settlement.period) {
                let doer: String? =
                    switch agreement.value.supplier {
                    case .provider(let provider): provider
                    case .consortium: terms.deliveredBy(at: settlement.period)
                    }
                if case .consortium(let consortium) = agreement.value.supplier {
                    consortiaInvolved.insert(consortium)
                    if let doer { worked[consortium, default: []].insert(doer) }
                }
                let sme = doer.flatMap { facts.scale(of: $0, before: agreement.stamp.position) }?.isSME ?? false
                spend.add(settlement.due, holder: agreement.value.supplier, sme: sme)
                timeliness.add(settlement, today: today)
            }
        }
        return QueryResult(
            rows: spend.rows,
            summary: [
                "commissioner": .string(id), "spendPence": .int(spend.total), "smeShareBp": spend.share(spend.sme),
                "integratorsShareBp": spend.share(spend.viaConsortia), "hhi": .int(spend.hhi),
                "requirements": .int(requirementCount), "routes": Self.counts(routes),
                "spotPurchaseRateBp": Self.rate(routes[Route.spotPurchase.rawValue] ?? 0, of: requirementCount),
                "directAwardRateBp": Self.rate(routes[Route.directAward.rawValue] ?? 0, of: requirementCount),
                "selections": .int(selections), "selectionBases": Self.counts(bases),
                "topRankedLost": [
                    "count": .int(lost.total), "rateBp": Self.rate(lost.total, of: selections),
                    "declinedOrNoCapacity": .int(lost.unavailable), "override": .int(lost.override),
                    "withoutReason": .int(lost.withoutReason), "byReason": Self.counts(reasons),
                ],
                "membersWithoutWork": .array(membersWithoutWork(of: consortiaInvolved, worked: worked)),
                "paymentTimeliness": timeliness.json,
            ]
        )
    }

    /// "Bid candy": the members of `consortia` (other than the integrator, who leads the work) that did none of it,
    /// as `worked` records who did each consortium's work. Names in a bid that the work never reached.
    private func membersWithoutWork(of consortia: Set<String>, worked: [String: Set<String>]) -> [JSONValue] {
        var rows = [JSONValue]()
        for consortium in consortia.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let registration = facts.consortia[consortium]?.registration.value else { continue }
            for member in registration.members
            where member.provider != registration.integrator
                && !(worked[consortium]?.contains(member.provider) ?? false)
            {
                rows.append([
                    "consortium": .string(consortium), "provider": .string(member.provider),
                    "shareBp": .int(member.shareBp),
                ])
            }
        }
        return rows
    }

    static func rate(_ part: Int64, of whole: Int64) -> JSONValue {
        whole == 0 ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(part) * 10_000, by: Int128(whole)))
    }

    static func counts(_ counts: [String: Int64]) -> JSONValue { .object(counts.mapValues { .int($0) }) }
}
