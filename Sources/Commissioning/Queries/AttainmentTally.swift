import LedgerJSON

/// Outcome attainment on the work a provider delivered: the effective measurement per outcome, case and period.
struct AttainmentTally {
    var verified: Int64 = 0
    var factorTotal: Int64 = 0
    var achieved: Int64 = 0
    var partial: Int64 = 0
    var notAchieved: Int64 = 0
    var awaiting: Int64 = 0
    var rejected: Int64 = 0
    var withdrawn: Int64 = 0

    mutating func add(contract id: String, _ record: ContractRecord, deliveredBy provider: String, facts: Facts) {
        let stream = EntityKind.contract.stream(id)
        let agreement = record.agreement.value
        let terms = TermsTimeline(agreement: agreement, variations: facts.live(record.variations, on: stream))
        var latest = [String: Stamped<Measurement>]()
        for measurement in facts.live(record.measurements, on: stream) {
            let period = measurement.value.period
            let doer = agreement.supplier == .provider(provider) ? provider : terms.deliveredBy(at: period)
            guard doer == provider else { continue }
            latest["\(period.index)\u{0}\(measurement.value.outcome)\u{0}\(measurement.value.caseID ?? "")"] =
                measurement
        }
        guard !latest.isEmpty else { return }
        var status = [String: VerificationDecision.Kind]()
        for decision in facts.live(record.decisions, on: stream) {
            status[decision.value.measurement] = decision.value.kind
        }
        for measurement in latest.values {
            switch status[measurement.stamp.id] {
            case nil: awaiting += 1
            case .rejected?: rejected += 1
            case .withdrawn?: withdrawn += 1
            case .verified?:
                let line = OutcomeLine(
                    terms: terms.payment(at: measurement.value.period),
                    measurement: measurement.value
                )
                verified += 1
                factorTotal += line.factorBp
                switch line.factorBp {
                case 10_000: achieved += 1
                case 0: notAchieved += 1
                default: partial += 1
                }
            }
        }
    }

    var json: JSONValue {
        [
            "attainmentRateBp": verified == 0
                ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(factorTotal), by: Int128(verified))),
            "achievedRateBp": verified == 0
                ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(achieved) * 10_000, by: Int128(verified))),
            "verified": .int(verified), "achieved": .int(achieved), "partial": .int(partial),
            "notAchieved": .int(notAchieved), "awaitingVerification": .int(awaiting), "rejected": .int(rejected),
            "withdrawn": .int(withdrawn),
        ]
    }
}
