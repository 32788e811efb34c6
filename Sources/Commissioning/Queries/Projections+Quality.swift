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

/// Sums of a provider's evaluation scores.
struct EvaluationTally {
    var count: Int64 = 0
    var quality: Int64 = 0
    var price: Int64 = 0
    var combined: Int64 = 0
    var topRanked: Int64 = 0
    var selected: Int64 = 0

    mutating func add(_ score: Evaluation.Score, combined value: Int64, rank: Int, selected wasSelected: Bool) {
        count += 1
        quality += score.qualityScore
        price += score.priceScore
        combined += value
        if rank == 1 { topRanked += 1 }
        if wasSelected { selected += 1 }
    }

    private func average(_ total: Int64) -> JSONValue {
        count == 0 ? .null : .int(PenceMath.divideRoundingHalfUp(Int128(total), by: Int128(count)))
    }

    var json: JSONValue {
        [
            "count": .int(count), "averageQualityScore": average(quality), "averagePriceScore": average(price),
            "averageCombinedScore": average(combined), "topRanked": .int(topRanked), "selected": .int(selected),
        ]
    }
}

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
