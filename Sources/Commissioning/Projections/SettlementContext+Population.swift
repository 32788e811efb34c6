import LedgerJSON

extension ContractSettlement.Context {
    /// Pays the population outcomes of `terms` measured in the period: for the latest measurement of each measure and
    /// cohort, its units of improvement over the baseline (or the comparison group) times the rate, once verified, up
    /// to what remains of the measure's maximum over the contract's life. Like an outcome, one that loses its
    /// verification after its period was paid is recovered in a later period.
    mutating func populationOutcomes(
        terms: PaymentTerms,
        _ measurements: [Stamped<PopulationMeasurement>],
        into settlement: inout PeriodSettlement
    ) {
        guard let population = terms.population else { return }
        var latest = [String: Stamped<PopulationMeasurement>]()
        for measurement in measurements where population.contains(where: { $0.measure == measurement.value.measure }) {
            latest[measurement.value.measure + "\u{0}" + measurement.value.cohort] = measurement
        }
        for key in latest.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let measurement = latest[key],
                let rule = population.first(where: { $0.measure == measurement.value.measure })
            else { continue }
            let value = measurement.value
            let improvement = rule.improvement(value: value.value, comparison: value.comparison)
            let full = PenceMath.multiply(improvement, rule.ratePence)
            let status = status(of: measurement.stamp, period: value.period)
            var entry: [String: JSONValue] = [
                "component": "population", "measure": .string(value.measure), "cohort": .string(value.cohort),
                "value": .int(value.value), "reference": .int(value.comparison ?? rule.baseline),
                "improvement": .int(improvement), "ratePence": .int(rule.ratePence), "fullPence": .int(full),
                "measurement": .string(measurement.stamp.id), "status": .string(status.label),
            ]
            var amount: Int64 = 0
            if status.countsAsDue {
                amount = full
                if let maximum = rule.maxPence {
                    let allowed = max(0, maximum - (usedByMeasure[value.measure] ?? 0))
                    if amount > allowed {
                        settlement.withheld.append(
                            .init(amountPence: amount - allowed, reason: "cap-population", outcome: value.measure)
                        )
                        amount = allowed
                    }
                }
                usedByMeasure[value.measure] = PenceMath.add(usedByMeasure[value.measure] ?? 0, amount)
                if status.label == "verified" { settlement.verifiedOutcomeLines += 1 }
                if let recoverIn = status.recoverIn, amount > 0 {
                    entry["recoveredIn"] = .string(recoverIn.text)
                    recoveries[recoverIn, default: []].append(
                        ContractSettlement.Recovery(
                            amountPence: amount,
                            period: settlement.period,
                            outcome: value.measure,
                            measurement: measurement.stamp.id
                        )
                    )
                }
            } else if full > 0 {
                settlement.withheld.append(
                    .init(
                        amountPence: full,
                        reason: status.label,
                        outcome: value.measure,
                        measurement: measurement.stamp.id
                    )
                )
            }
            entry["amountPence"] = .int(amount)
            settlement.outcome = PenceMath.add(settlement.outcome, amount)
            settlement.lines.append(.object(entry))
        }
    }
}
