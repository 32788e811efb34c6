import LedgerJSON

extension Projections {
    /// A commissioner's market: spend and its concentration, SME and integrator shares, routes to market, the basis
    /// of selections, how often the top-ranked offer lost and why, consortium members that got none of the
    /// commissioner's work ("bid candy"), and payment timeliness. Spend is what became due in the period; requirements
    /// and selections count by the month they were recorded.
    func market(commissioner id: String, period: PeriodFilter) throws(QueryError) -> QueryResult {
        guard facts.commissioners[id] != nil else { throw .notFound(.commissioner, id) }
        var tally = MarketTally()
        for requirementID in Self.sortedIDs(facts.requirements) {
            guard let record = facts.requirements[requirementID], record.publication.value.commissioner == id,
                period.contains(record.publication.stamp)
            else { continue }
            tally.add(marketPart(ofRequirement: requirementID, record).tally)
        }
        for contract in settlements(where: { parties(of: $1).payers.contains(id) }) {
            let inPeriod = contract.periods.filter { period.contains($0.period) }
            for part in marketParts(ofContract: contract.id, contract.record, inPeriod) where part.commissioner == id {
                tally.add(part.tally)
            }
        }
        return tally.answer(commissioner: id, today: today, members: consortiumMembers)
    }

    static func rate(_ part: Int64, of whole: Int64) -> JSONValue {
        // A whole of 0 has no shares; nor has a negative one (spend in credit, after recoveries).
        whole <= 0 ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(part) * 10_000, by: Int128(whole)))
    }

    static func counts(_ counts: [String: Int64]) -> JSONValue { .object(counts.mapValues { .int($0) }) }
}
