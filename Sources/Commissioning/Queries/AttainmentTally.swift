import LedgerJSON

/// Outcome attainment on the work a provider delivered: the effective measurement per outcome, case and period.
struct AttainmentTally: FigureTally, Sendable, Equatable {
    var verified: Int64 = 0
    var factorTotal: Int64 = 0
    var achieved: Int64 = 0
    var partial: Int64 = 0
    var notAchieved: Int64 = 0
    var awaiting: Int64 = 0
    var rejected: Int64 = 0
    var withdrawn: Int64 = 0

    /// Each provider's tally of the work it delivered under the contract `id` (none for a provider that measured
    /// nothing there).
    static func byProvider(contract id: String, _ record: ContractRecord, facts: Facts) -> [String: AttainmentTally] {
        let stream = EntityKind.contract.stream(id)
        let agreement = record.agreement.value
        let terms = TermsTimeline(agreement: agreement, variations: facts.live(record.variations, on: stream))
        let holders = HolderTimeline(agreement: agreement, transfers: facts.live(record.transfers, on: stream))
        var latest = [String: [String: Stamped<Measurement>]]()
        for measurement in facts.live(record.measurements, on: stream) {
            let period = measurement.value.period
            // The contract's provider delivered it, and so did whoever the terms name for the period (a
            // consortium's members doing it); after a transfer, each provider holding it a day of the period, and the
            // original holder's members when it still held a day of it.
            var doers = [String]()
            var original = true
            if holders.hasChanged(by: period) {
                let held = holders.holders(in: period).filter { $0.days > 0 }.map(\.holder)
                doers = held.compactMap(\.provider).filter { .provider($0) != agreement.supplier }
                original = held.contains(agreement.supplier)
            }
            if original, case .provider(let provider) = agreement.supplier { doers.insert(provider, at: 0) }
            for worker in original ? terms.work(at: period)?.workers ?? [] : [] where !doers.contains(worker.provider) {
                doers.append(worker.provider)
            }
            let key = "\(period.index)\u{0}\(measurement.value.outcome)\u{0}\(measurement.value.caseID ?? "")"
            for doer in doers { latest[doer, default: [:]][key] = measurement }
        }
        guard !latest.isEmpty else { return [:] }
        var status = [String: VerificationDecision.Kind]()
        for decision in facts.live(record.decisions, on: stream) {
            status[decision.value.measurement] = decision.value.kind
        }
        return latest.mapValues { measurements in
            var tally = AttainmentTally()
            for measurement in measurements.values {
                tally.add(measurement, status: status[measurement.stamp.id], terms: terms)
            }
            return tally
        }
    }

    private mutating func add(
        _ measurement: Stamped<Measurement>,
        status: VerificationDecision.Kind?,
        terms: TermsTimeline
    ) {
        switch status {
        case nil: awaiting += 1
        case .rejected?: rejected += 1
        case .withdrawn?: withdrawn += 1
        case .verified?:
            let line = OutcomeLine(terms: terms.payment(at: measurement.value.period), measurement: measurement.value)
            verified += 1
            factorTotal += line.factorBp
            switch line.factorBp {
            case 10_000: achieved += 1
            case 0: notAchieved += 1
            default: partial += 1
            }
        }
    }

    static let figureCount = 8

    var figures: [Int64] { [verified, factorTotal, achieved, partial, notAchieved, awaiting, rejected, withdrawn] }

    init?(figures: [Int64]) {
        guard figures.count == Self.figureCount else { return nil }
        (verified, factorTotal, achieved, partial) = (figures[0], figures[1], figures[2], figures[3])
        (notAchieved, awaiting, rejected, withdrawn) = (figures[4], figures[5], figures[6], figures[7])
    }

    init() {}

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
