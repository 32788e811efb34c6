import LedgerJSON

/// Computes what a contract owes, period by period, from its live (unretracted) facts.
///
/// Rules (see `Protocols/events.md`, "Payments"): task-and-time pays units x rate; outcome-based pays an optional core
/// on delivery plus tariff x attainment factor for verified outcomes; blended pays `P x (10000 - r) / 10000` on delivery
/// plus each outcome's part of the pool `P x r x weight / 10^8` x factor when verified, rounded half-up once per line.
/// Caps apply to outcome money per person, then per period, then over the contract's life. An outcome verified when
/// its period was first paid and later withdrawn or rejected stays due in its period and is recovered as a negative
/// adjustment in the first later month not yet paid when the verification was withdrawn. A credit (a period whose
/// payments exceed what it owes, as a recovery can make it) is settled by refunds and by offsets against later periods,
/// at either tier.
struct ContractSettlement {
    let facts: Facts
    let id: String
    let record: ContractRecord

    private var stream: String { EntityKind.contract.stream(id) }
    var agreement: ContractAgreement { record.agreement.value }

    /// One settlement per period with any activity (delivery, measurement, approval, payment or recovery), in order.
    func periods() -> [PeriodSettlement] {
        let facts = facts
        let variations = facts.live(record.variations, on: stream)
        let terms = TermsTimeline(agreement: agreement, variations: variations)
        let deliveries = facts.live(record.deliveries, on: stream)
        // Measurements of what the period's terms do not pay for are ignored: they make no period of their own.
        let measurements = facts.live(record.measurements, on: stream).filter {
            terms.payment(at: $0.value.period).outcomes.contains($0.value.outcome)
        }
        let populationMeasurements = facts.live(record.populationMeasurements, on: stream).filter { measurement in
            let population = terms.payment(at: measurement.value.period).population ?? []
            return population.contains { $0.measure == measurement.value.measure }
        }
        let approvals = facts.live(record.approvals, on: stream)
        let payments = facts.live(record.payments, on: stream)
        let credits = applicable(facts.live(record.creditSettlements, on: stream), terms: terms)
        let assessments = facts.live(record.qualityAssessments, on: stream)
        let holders = HolderTimeline(agreement: agreement, transfers: facts.live(record.transfers, on: stream))
        var decisions = [String: [Stamped<VerificationDecision>]]()
        for decision in facts.live(record.decisions, on: stream) {
            decisions[decision.value.measurement, default: []].append(decision)
        }
        var commissionerPayments = [Period: [Stamped<PaymentMade>]]()
        var memberPayments = [Period: [Stamped<PaymentMade>]]()
        for payment in payments {
            if payment.value.member == nil {
                commissionerPayments[payment.value.period, default: []].append(payment)
            } else {
                memberPayments[payment.value.period, default: []].append(payment)
            }
        }
        var activity = Set<Period>()
        activity.formUnion(deliveries.map(\.value.period))
        activity.formUnion(measurements.map(\.value.period))
        activity.formUnion(populationMeasurements.map(\.value.period))
        activity.formUnion(approvals.map(\.value.period))
        activity.formUnion(payments.map(\.value.period))
        for credit in credits {
            activity.insert(credit.value.period)
            if case .offset(let against) = credit.value.means { activity.insert(against) }
        }
        var pending = activity.sorted()
        let deliveriesByPeriod = Dictionary(grouping: deliveries, by: \.value.period)
        let measurementsByPeriod = Dictionary(grouping: measurements, by: \.value.period)
        let populationByPeriod = Dictionary(grouping: populationMeasurements, by: \.value.period)
        var approved = [Period: Int64]()
        for approval in approvals {
            approved[approval.value.period] = PenceMath.add(
                approved[approval.value.period] ?? 0,
                approval.value.amountPence
            )
        }
        var context = Context(
            decisions: decisions,
            commissionerPayments: commissionerPayments,
            defaultCase: facts.requirements[agreement.requirement]?.publication.value.caseID ?? ""
        )
        var result = [PeriodSettlement]()
        while !pending.isEmpty {
            let period = pending.removeFirst()
            var settlement = PeriodSettlement(
                contract: id,
                period: period,
                model: terms.payment(at: period).model,
                dueOn: period.lastDay.adding(days: Int(terms.paymentTermsDays(at: period)))
            )
            let paymentTerms = terms.payment(at: period)
            context.settle(
                &settlement,
                terms: paymentTerms,
                deliveriesByPeriod[period] ?? [],
                measurementsByPeriod[period] ?? [],
                population: populationByPeriod[period] ?? []
            )
            if let quality = paymentTerms.quality {
                rewardQuality(
                    &settlement,
                    terms: quality,
                    doer: holders.holder(on: period.lastDay).provider ?? terms.work(at: period)?.lead,
                    assessments: assessments
                )
            }
            let recoveries = context.recoveries.removeValue(forKey: period) ?? []
            for recovery in recoveries {
                settlement.adjustments = PenceMath.add(settlement.adjustments, -recovery.amountPence)
                settlement.lines.append([
                    "component": "adjustment", "amountPence": .int(-recovery.amountPence),
                    "reason": "recovery", "recovers": .string(recovery.period.text),
                    "outcome": .string(recovery.outcome), "measurement": .string(recovery.measurement),
                ])
            }
            // What the period earned, before the first tier settles credits by offset (which the member's share
            // does not follow).
            var earned = settlement.due
            let firstTier = credits.filter { $0.value.member == nil }
            let credit = Self.effect(of: firstTier, on: period)
            settlement.lines += credit.lines
            settlement.adjustments = PenceMath.add(settlement.adjustments, credit.offsets)
            settlement.refunded = credit.refunded
            for later in context.recoveries.keys where !pending.contains(later) {
                pending.append(later)
                pending.sort()
            }
            settlement.approved = approved[period] ?? 0
            let paid = Self.paid(commissionerPayments[period] ?? [], due: settlement.due)
            settlement.paid = paid.total
            settlement.paidOn = paid.settledOn
            if let shares = shares(
                of: settlement,
                holders: holders,
                recoveries: recoveries,
                credits: firstTier,
                payments: commissionerPayments[period] ?? []
            ) {
                settlement.holders = shares.list
                earned = shares.originalEarned
            }
            if !agreement.pool.isEmpty {
                settlement.payers = payers(
                    of: settlement,
                    pool: agreement.pool,
                    payments: commissionerPayments[period] ?? []
                )
            }
            // The consortium passes through what it earned: all of the period, or its share of a transferred one
            // (none when it held no day of it and owes no recovery).
            let holding =
                settlement.holders.isEmpty
                || settlement.holders.contains {
                    $0.party == .holder(agreement.supplier) && ($0.weight > 0 || earned != 0)
                }
            if holding, case .consortium = agreement.supplier, let work = terms.work(at: period) {
                let members = passThroughs(
                    period,
                    earned: earned,
                    work: work,
                    payments: memberPayments[period] ?? [],
                    credits: credits
                )
                settlement.passThroughs = members.list
                settlement.integratorOwnPence = members.integratorOwn
                settlement.sharedWork = work.isShared
            }
            result.append(settlement)
        }
        return result
    }

    /// The total of `payments` and the date on which they first covered `due` (nil when not covered or nothing due).
    static func paid(_ payments: [Stamped<PaymentMade>], due: Int64) -> (total: Int64, settledOn: Day?) {
        var total: Int64 = 0
        var settledOn: Day?
        for payment in payments {
            total = PenceMath.add(total, payment.value.amountPence)
            if settledOn == nil, due > 0, total >= due { settledOn = payment.value.paidOn }
        }
        return (total, settledOn)
    }

    /// The settlements of credits in `credits` that apply: the first tier's, and a member's when it did the work of the
    /// period it refunds, or of both periods of an offset (each side nets against its own pass-through); a member's
    /// settlement otherwise has no effect.
    private func applicable(
        _ credits: [Stamped<CreditSettlement>],
        terms: TermsTimeline
    ) -> [Stamped<CreditSettlement>] {
        let integrator: String? =
            switch agreement.supplier {
            case .consortium(let id): facts.consortia[id]?.registration.value.integrator
            case .provider: nil
            }
        return credits.filter { credit in
            guard let member = credit.value.member else { return true }
            func works(at period: Period) -> Bool {
                terms.work(at: period)?.workers.contains { $0.provider == member } ?? false
            }
            guard let integrator, member != integrator, works(at: credit.value.period) else { return false }
            guard case .offset(let against) = credit.value.means else { return true }
            return works(at: against)
        }
    }

    /// What the settlements of credits at one tier do to one period.
    struct CreditEffect {
        /// Refunds of the period's credit.
        var refunded: Int64 = 0
        /// Its credit offset against later periods, less earlier periods' credits offset against it.
        var offsets: Int64 = 0
        /// An adjustment line for each offset.
        var lines: [JSONValue] = []
    }

    /// The effect on `period` of `credits` (all of one tier): refunds of its credit, its credit offset against a later
    /// period (a positive adjustment), and earlier periods' credits offset against it (negative adjustments).
    static func effect(of credits: [Stamped<CreditSettlement>], on period: Period) -> CreditEffect {
        var effect = CreditEffect()
        for credit in credits {
            let value = credit.value
            switch value.means {
            case .refund where value.period == period:
                effect.refunded = PenceMath.add(effect.refunded, value.amountPence)
            case .offset(let against) where value.period == period:
                effect.offsets = PenceMath.add(effect.offsets, value.amountPence)
                effect.lines.append([
                    "component": "adjustment", "amountPence": .int(value.amountPence), "reason": "offset",
                    "against": .string(against.text),
                ])
            case .offset(let against) where against == period:
                effect.offsets = PenceMath.subtract(effect.offsets, value.amountPence)
                effect.lines.append([
                    "component": "adjustment", "amountPence": .int(-value.amountPence), "reason": "offset",
                    "offsets": .string(value.period.text),
                ])
            default:
                break
            }
        }
        return effect
    }

    /// The second tier: what each member doing a share of `period`'s `work` earned (its share of the period's
    /// due without the offsets between commissioner and contract holder, which settle the first tier only), less the
    /// integrator's fee, adjusted by the offsets between integrator and member; what the integrator paid it, and what
    /// it refunded; and the integrator's own share of the work's earnings (it passes nothing through for it).
    private func passThroughs(
        _ period: Period,
        earned: Int64,
        work: Work,
        payments: [Stamped<PaymentMade>],
        credits: [Stamped<CreditSettlement>]
    ) -> (list: [PeriodSettlement.PassThrough], integratorOwn: Int64) {
        guard case .consortium(let consortiumID) = agreement.supplier,
            let consortium = facts.consortia[consortiumID]?.registration.value
        else { return ([], 0) }
        var list = [PeriodSettlement.PassThrough]()
        var integratorOwn: Int64 = 0
        let earnings = PenceMath.shares(of: earned, weights: work.workers.map(\.shareBp))
        for (worker, earned) in zip(work.workers, earnings) {
            let member = worker.provider
            guard member != consortium.integrator else {
                integratorOwn = PenceMath.add(integratorOwn, earned)
                continue
            }
            let fee = PenceMath.basisPoints(earned, consortium.managementFeeBp)
            let credit = Self.effect(of: credits.filter { $0.value.member == member }, on: period)
            let due = PenceMath.add(PenceMath.subtract(earned, fee), credit.offsets)
            let paid = Self.paid(payments.filter { $0.value.member == member }, due: due)
            list.append(
                PeriodSettlement.PassThrough(
                    integrator: consortium.integrator,
                    member: member,
                    shareBp: worker.shareBp,
                    earnedPence: earned,
                    feePence: fee,
                    adjustmentsPence: credit.offsets,
                    duePence: due,
                    paidPence: paid.total,
                    refundedPence: credit.refunded,
                    paidOn: paid.settledOn
                )
            )
        }
        return (list, integratorOwn)
    }
}
