import LedgerJSON

extension Projections {
    /// A provider's quality: outcome attainment on the work it delivered, its evaluation scores and its regulator
    /// rating over time.
    func quality(provider id: String) throws(QueryError) -> QueryResult {
        guard let standing = providerStanding(id) else { throw QualityOfProvider.notFound(id) }
        var answer = QualityOfProvider(provider: id, standing: standing)
        for requirementID in Self.sortedIDs(facts.requirements) {
            for evaluation in evaluationRows(ofRequirement: requirementID) where evaluation.provider == id {
                answer.add(evaluation)
            }
        }
        for contractID in Self.sortedIDs(facts.contracts) {
            if let attainment = attainments(ofContract: contractID)[id] { answer.add(attainment) }
        }
        return answer.result
    }

    static func ratingRow(
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
