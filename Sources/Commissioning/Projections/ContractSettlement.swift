/// Computes what a contract owes, period by period, from its live (unretracted) facts.
///
/// Rules (see `Protocols/events.md`, "Payments"): task-and-time pays units x rate; outcome-based pays an optional core
/// on delivery plus tariff x attainment factor for verified outcomes; blended pays `P x (10000 - r) / 10000` on delivery
/// plus each outcome's part of the pool `P x r x weight / 10^8` x factor when verified, rounded half-up once per line.
/// Caps apply to outcome money per person, then per period, then over the contract's life. An outcome verified when
/// its period was first paid and later withdrawn or rejected stays due in its period and is recovered as a negative
/// adjustment in the first later month not yet paid when the verification was withdrawn.
struct ContractSettlement {
    let facts: Facts
    let id: String
    let record: ContractRecord

    private var stream: String { EntityKind.contract.stream(id) }
    private var agreement: ContractAgreement { record.agreement.value }

    /// One settlement per period with any activity (delivery, measurement, approval, payment or recovery), in order.
    func periods() -> [PeriodSettlement] {
        let facts = facts
        let variations = facts.live(record.variations, on: stream)
        let deliveries = facts.live(record.deliveries, on: stream)
        let measurements = facts.live(record.measurements, on: stream)
        let approvals = facts.live(record.approvals, on: stream)
        let payments = facts.live(record.payments, on: stream)
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
        activity.formUnion(approvals.map(\.value.period))
        activity.formUnion(payments.map(\.value.period))
        var pending = activity.sorted()
        let deliveriesByPeriod = Dictionary(grouping: deliveries, by: \.value.period)
        let measurementsByPeriod = Dictionary(grouping: measurements, by: \.value.period)
        var approved = [Period: Int64]()
        for approval in approvals {
            approved[approval.value.period] = PenceMath.add(
                approved[approval.value.period] ?? 0,
                approval.value.amountPence
            )
        }
        let terms = TermsTimeline(agreement: agreement, variations: variations)
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
            context.settle(
                &settlement,
                terms: terms.payment(at: period),
                deliveriesByPeriod[period] ?? [],
                measurementsByPeriod[period] ?? []
            )
            for recovery in context.recoveries.removeValue(forKey: period) ?? [] {
                settlement.adjustments = PenceMath.add(settlement.adjustments, -recovery.amountPence)
                settlement.lines.append([
                    "component": "adjustment", "amountPence": .int(-recovery.amountPence),
                    "reason": "recovery", "recovers": .string(recovery.period.text),
                    "outcome": .string(recovery.outcome), "measurement": .string(recovery.measurement),
                ])
            }
            for later in context.recoveries.keys where !pending.contains(later) {
                pending.append(later)
                pending.sort()
            }
            settlement.approved = approved[period] ?? 0
            let paid = Self.paid(commissionerPayments[period] ?? [], due: settlement.due)
            settlement.paid = paid.total
            settlement.paidOn = paid.settledOn
            settlement.passThrough = passThrough(
                settlement,
                deliveredBy: terms.deliveredBy(at: period),
                payments: memberPayments[period] ?? []
            )
            result.append(settlement)
        }
        return result
    }

    /// The total of `payments` and the date on which they first covered `due` (nil when not covered or nothing due).
    private static func paid(_ payments: [Stamped<PaymentMade>], due: Int64) -> (total: Int64, settledOn: Day?) {
        var total: Int64 = 0
        var settledOn: Day?
        for payment in payments {
            total = PenceMath.add(total, payment.value.amountPence)
            if settledOn == nil, due > 0, total >= due { settledOn = payment.value.paidOn }
        }
        return (total, settledOn)
    }

    private func passThrough(
        _ settlement: PeriodSettlement,
        deliveredBy member: String?,
        payments: [Stamped<PaymentMade>]
    ) -> PeriodSettlement.PassThrough? {
        guard case .consortium(let consortiumID) = agreement.supplier,
            let consortium = facts.consortia[consortiumID]?.registration.value,
            let member, member != consortium.integrator
        else { return nil }
        let fee = PenceMath.basisPoints(settlement.due, consortium.managementFeeBp)
        let due = settlement.due - fee
        let paid = Self.paid(payments.filter { $0.value.member == member }, due: due)
        return PeriodSettlement.PassThrough(
            integrator: consortium.integrator,
            member: member,
            earnedPence: settlement.due,
            feePence: fee,
            duePence: due,
            paidPence: paid.total,
            paidOn: paid.settledOn
        )
    }
}
