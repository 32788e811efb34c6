import LedgerJSON

extension Projections {
    /// A provider's quality: outcome attainment on the work it delivered, its evaluation scores and its regulator
    /// rating over time.
    func quality(provider id: String) throws(QueryError) -> QueryResult {
        guard let provider = facts.providers[id] else { throw .notFound(.provider, id) }
        let providerStream = EntityKind.provider.stream(id)
        var rows = [JSONValue]()
        let registration = provider.registration
        rows.append(
            Self.ratingRow(registration.stamp, registration.value.regulator, registration.value.rating, effective: nil)
        )
        for change in facts.live(provider.ratings, on: providerStream) {
            rows.append(
                Self.ratingRow(
                    change.stamp,
                    change.value.regulator,
                    change.value.rating,
                    effective: change.value.effective
                )
            )
        }
        let current = facts.live(provider.ratings, on: providerStream).last?.value.rating ?? registration.value.rating
        var scores = EvaluationTally()
        for requirementID in Self.sortedIDs(facts.requirements) {
            guard let record = facts.requirements[requirementID] else { continue }
            let stream = EntityKind.requirement.stream(requirementID)
            guard let evaluation = facts.live(record.evaluations, on: stream).last else { continue }
            let selected = facts.standingDecision(requirementID)?.selection.value.offer
            for offer in facts.live(record.offers, on: stream) where offer.value.supplier == .provider(id) {
                guard let score = evaluation.value.scores.first(where: { $0.offer == offer.value.offer }) else {
                    continue
                }
                let rank = evaluation.value.rank(of: offer.value.offer) ?? 0
                let combined = evaluation.value.combined(score)
                scores.add(score, combined: combined, rank: rank, selected: selected == offer.value.offer)
                rows.append([
                    "kind": "evaluation", "requirement": .string(requirementID), "offerId": .string(offer.value.offer),
                    "position": .int(Int64(clamping: evaluation.stamp.position)),
                    "qualityScore": .int(score.qualityScore), "priceScore": .int(score.priceScore),
                    "combinedScore": .int(combined), "rank": .int(rank),
                    "offers": .int(evaluation.value.ranking.count), "selected": .bool(selected == offer.value.offer),
                ])
            }
        }
        var attainment = AttainmentTally()
        for contractID in Self.sortedIDs(facts.contracts) {
            guard let record = facts.contracts[contractID] else { continue }
            attainment.add(contract: contractID, record, deliveredBy: id, facts: facts)
        }
        return QueryResult(
            rows: rows,
            summary: [
                "provider": .string(id), "scale": .string(facts.scale(of: id, before: position + 1)?.rawValue ?? ""),
                "rating": .string(current.rawValue), "attainment": attainment.json, "evaluations": scores.json,
            ]
        )
    }

    private static func ratingRow(
        _ stamp: Stamp,
        _ regulator: Regulator,
        _ rating: Rating,
        effective: Day?
    ) -> JSONValue {
        var row: [String: JSONValue] = [
            "kind": "rating", "position": .int(Int64(clamping: stamp.position)), "recorded": .string(stamp.recorded),
            "regulator": .string(regulator.rawValue), "rating": .string(rating.rawValue),
        ]
        row.set("effective", effective.map { .string($0.text) })
        return .object(row)
    }
}
