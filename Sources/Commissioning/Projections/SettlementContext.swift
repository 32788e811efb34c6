import LedgerJSON

extension ContractSettlement {
    /// An outcome amount to recover in a later period.
    struct Recovery {
        var amountPence: Int64
        var period: Period
        var outcome: String
        var measurement: String
    }

    /// What carries from one period to the next while settling a contract: cap usage and scheduled recoveries.
    struct Context {
        let decisions: [String: [Stamped<VerificationDecision>]]
        let commissionerPayments: [Period: [Stamped<PaymentMade>]]
        /// The case of the contract's requirement, for measurements that name none.
        let defaultCase: String
        var usedByCase: [String: Int64] = [:]
        var usedOverLife: Int64 = 0
        /// Population outcome money paid so far, by measure, against each measure's maximum.
        var usedByMeasure: [String: Int64] = [:]
        var recoveries: [Period: [Recovery]] = [:]

        init(
            decisions: [String: [Stamped<VerificationDecision>]],
            commissionerPayments: [Period: [Stamped<PaymentMade>]],
            defaultCase: String
        ) {
            self.decisions = decisions
            self.commissionerPayments = commissionerPayments
            self.defaultCase = defaultCase
        }

        /// Fills in the core, task-and-time and outcome components of `settlement`.
        mutating func settle(
            _ settlement: inout PeriodSettlement,
            terms: PaymentTerms,
            _ deliveries: [Stamped<Delivery>],
            _ measurements: [Stamped<Measurement>],
            population: [Stamped<PopulationMeasurement>]
        ) {
            let delivered = !deliveries.isEmpty
            guard delivered || !measurements.isEmpty || !population.isEmpty else { return }
            switch terms.model {
            case .taskAndTime:
                let units = deliveries.reduce(0) { PenceMath.add($0, $1.value.units) }
                let rate = terms.unitRatePence ?? 0
                settlement.taskAndTime = PenceMath.multiply(units, rate)
                settlement.lines.append([
                    "component": "taskAndTime", "units": .int(units), "unitRatePence": .int(rate),
                    "amountPence": .int(settlement.taskAndTime),
                ])
                return
            case .outcomeBased:
                core(terms.corePence ?? 0, delivered: delivered, into: &settlement)
            case .blended:
                let price = terms.periodPricePence ?? 0
                core(
                    PenceMath.basisPoints(price, 10_000 - (terms.atRiskBp ?? 0)),
                    delivered: delivered,
                    into: &settlement
                )
            }
            outcomes(terms: terms, measurements, into: &settlement)
            populationOutcomes(terms: terms, population, into: &settlement)
        }

        private func core(_ amount: Int64, delivered: Bool, into settlement: inout PeriodSettlement) {
            guard amount > 0 else { return }
            if delivered {
                settlement.core = amount
                settlement.lines.append(["component": "core", "amountPence": .int(amount)])
            } else {
                settlement.withheld.append(.init(amountPence: amount, reason: "no-delivery"))
            }
        }

        /// The effective measurement per outcome (and per case, for outcome-based contracts): the latest one.
        private func effective(
            _ measurements: [Stamped<Measurement>],
            terms: PaymentTerms
        ) -> [(key: String, measurement: Stamped<Measurement>)] {
            var latest = [String: Stamped<Measurement>]()
            for measurement in measurements where terms.outcomes.contains(measurement.value.outcome) {
                let key =
                    terms.model == .blended
                    ? measurement.value.outcome
                    : measurement.value.outcome + "\u{0}" + (measurement.value.caseID ?? defaultCase)
                latest[key] = measurement
            }
            let order = terms.outcomes
            return latest.map { ($0.key, $0.value) }.sorted { lhs, rhs in
                let left = order.firstIndex(of: lhs.measurement.value.outcome) ?? 0
                let right = order.firstIndex(of: rhs.measurement.value.outcome) ?? 0
                return left != right ? left < right : lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
            }
        }

        private mutating func outcomes(
            terms: PaymentTerms,
            _ measurements: [Stamped<Measurement>],
            into settlement: inout PeriodSettlement
        ) {
            let chosen = effective(measurements, terms: terms)
            if terms.model == .blended {
                for weight in terms.weights ?? []
                where !chosen.contains(where: { $0.measurement.value.outcome == weight.outcome }) {
                    let full = OutcomeLine.pool(terms, weight: weight.weightBp, factor: 10_000)
                    settlement.withheld.append(
                        .init(amountPence: full, reason: "not-measured", outcome: weight.outcome)
                    )
                }
            }
            var dueLines = [DueLine]()
            for (_, measurement) in chosen {
                let line = OutcomeLine(terms: terms, measurement: measurement.value)
                let caseKey = measurement.value.caseID ?? defaultCase
                let status = status(of: measurement.stamp, period: measurement.value.period)
                var entry: [String: JSONValue] = [
                    "component": "outcome", "outcome": .string(measurement.value.outcome),
                    "attainment": .string(line.attainment), "factorBp": .int(line.factorBp),
                    "fullPence": .int(line.fullPence), "measurement": .string(measurement.stamp.id),
                    "status": .string(status.label),
                ]
                if status.countsAsDue {
                    entry["amountPence"] = .int(line.payablePence)
                    dueLines.append(
                        DueLine(
                            caseKey: caseKey,
                            amountPence: line.payablePence,
                            lineIndex: settlement.lines.count,
                            recoverIn: status.recoverIn,
                            measurement: measurement
                        )
                    )
                    if status.label == "verified" { settlement.verifiedOutcomeLines += 1 }
                    if line.fullPence > line.payablePence {
                        settlement.withheld.append(
                            .init(
                                amountPence: line.fullPence - line.payablePence,
                                reason: line.attainment,
                                outcome: measurement.value.outcome,
                                measurement: measurement.stamp.id
                            )
                        )
                    }
                } else {
                    entry["amountPence"] = .int(0)
                    settlement.withheld.append(
                        .init(
                            amountPence: line.fullPence,
                            reason: status.label,
                            outcome: measurement.value.outcome,
                            measurement: measurement.stamp.id
                        )
                    )
                }
                settlement.lines.append(.object(entry))
            }
            var dueByCase = [String: Int64]()
            for line in dueLines {
                dueByCase[line.caseKey] = PenceMath.add(dueByCase[line.caseKey] ?? 0, line.amountPence)
            }
            let capped = applyCaps(terms.caps, dueByCase, into: &settlement)
            settlement.outcome = capped.total
            scheduleRecoveries(dueLines, allowedByCase: capped.allowedByCase, total: capped.total, in: &settlement)
        }

        /// Schedules the recovery of each due line that lost its verification after it was paid, for what the caps let
        /// it pay: the caps' limits are filled line by line in the order the lines are listed, so a recovery never
        /// takes back more than its line added to the period's capped outcome money.
        private mutating func scheduleRecoveries(
            _ lines: [DueLine],
            allowedByCase: [String: Int64],
            total: Int64,
            in settlement: inout PeriodSettlement
        ) {
            var leftByCase = allowedByCase
            var left = total
            for line in lines {
                let paid = min(line.amountPence, leftByCase[line.caseKey] ?? 0, left)
                leftByCase[line.caseKey] = (leftByCase[line.caseKey] ?? 0) - paid
                left -= paid
                guard let recoverIn = line.recoverIn, paid > 0 else { continue }
                if case .object(var entry) = settlement.lines[line.lineIndex] {
                    entry["recoveredIn"] = .string(recoverIn.text)
                    if paid < line.amountPence { entry["recoveredPence"] = .int(paid) }
                    settlement.lines[line.lineIndex] = .object(entry)
                }
                recoveries[recoverIn, default: []].append(
                    Recovery(
                        amountPence: paid,
                        period: settlement.period,
                        outcome: line.measurement.value.outcome,
                        measurement: line.measurement.stamp.id
                    )
                )
            }
            precondition(left == 0, "the capped outcome money is not the sum of its lines' shares")
        }

        /// Limits outcome money per person, then per period, then over the contract's life; returns what remains, and
        /// what remains of each person's after the per-person cap.
        private mutating func applyCaps(
            _ caps: PaymentTerms.Caps?,
            _ dueByCase: [String: Int64],
            into settlement: inout PeriodSettlement
        ) -> (total: Int64, allowedByCase: [String: Int64]) {
            var total: Int64 = 0
            var allowedByCase = [String: Int64]()
            for caseKey in dueByCase.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                var amount = dueByCase[caseKey] ?? 0
                if let cap = caps?.perPersonPence {
                    let allowed = max(0, cap - (usedByCase[caseKey] ?? 0))
                    if amount > allowed {
                        settlement.withheld.append(.init(amountPence: amount - allowed, reason: "cap-per-person"))
                        amount = allowed
                    }
                }
                usedByCase[caseKey] = PenceMath.add(usedByCase[caseKey] ?? 0, amount)
                allowedByCase[caseKey] = amount
                total = PenceMath.add(total, amount)
            }
            if let cap = caps?.perPeriodPence, total > cap {
                settlement.withheld.append(.init(amountPence: total - cap, reason: "cap-per-period"))
                total = cap
            }
            if let cap = caps?.lifetimePence {
                let allowed = max(0, cap - usedOverLife)
                if total > allowed {
                    settlement.withheld.append(.init(amountPence: total - allowed, reason: "cap-lifetime"))
                    total = allowed
                }
            }
            usedOverLife = PenceMath.add(usedOverLife, total)
            return (total, allowedByCase)
        }

        /// A measurement's verification status, whether it counts as due, and where to recover it if it was paid
        /// while verified and has since lost its verification.
        func status(of measurement: Stamp, period: Period) -> MeasurementStatus {
            let history = decisions[measurement.id] ?? []
            let current = history.last { $0.stamp.position > measurement.position }
            guard let current else { return MeasurementStatus(label: "awaiting-verification", countsAsDue: false) }
            if current.value.kind == .verified { return MeasurementStatus(label: "verified", countsAsDue: true) }
            let label = current.value.kind == .rejected ? "rejected" : "verification-withdrawn"
            guard let firstPayment = commissionerPayments[period]?.min(by: { $0.stamp.position < $1.stamp.position }),
                let before = history.last(where: { $0.stamp.position < firstPayment.stamp.position }),
                before.value.kind == .verified
            else { return MeasurementStatus(label: label, countsAsDue: false) }
            var recoverIn = period.next
            while let paidLater = commissionerPayments[recoverIn],
                paidLater.contains(where: { $0.stamp.position < current.stamp.position })
            {
                recoverIn = recoverIn.next
            }
            return MeasurementStatus(label: label, countsAsDue: true, recoverIn: recoverIn)
        }
    }

    /// An outcome line that counts as due, before caps.
    struct DueLine {
        var caseKey: String
        var amountPence: Int64
        /// Where the line is in the settlement's `lines`.
        var lineIndex: Int
        var recoverIn: Period?
        var measurement: Stamped<Measurement>
    }

    /// Where a measurement stands.
    struct MeasurementStatus {
        var label: String
        var countsAsDue: Bool
        var recoverIn: Period?
    }
}
