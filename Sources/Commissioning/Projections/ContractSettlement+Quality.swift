import LedgerJSON

extension ContractSettlement {
    /// Adds the reward for quality to `settlement` (whose core and task-and-time are settled): the band of `terms`
    /// that the rating of `doer` on the period's last day, or the period's latest score in `assessments`, falls in,
    /// applied to the fee (core and task-and-time), rounded half-up once, as a `quality` line.
    func rewardQuality(
        _ settlement: inout PeriodSettlement,
        terms: QualityTerms,
        doer: String?,
        assessments: [Stamped<QualityAssessment>]
    ) {
        let fee = PenceMath.add(settlement.core, settlement.taskAndTime)
        guard fee > 0 else { return }
        var line: [String: JSONValue] = ["component": "quality", "basis": .string(terms.basis.rawValue)]
        let band: QualityTerms.Band?
        switch terms.basis {
        case .rating:
            settlement.ratedProvider = doer
            let rating = doer.flatMap { facts.rating(of: $0, on: settlement.period.lastDay) }
            line.set("provider", doer.map { .string($0) })
            line.set("rating", rating.map { .string($0.rawValue) })
            band = terms.band(rating: rating, score: nil)
        case .score:
            let assessment = assessments.last { $0.value.period == settlement.period }
            line.set("score", assessment.map { .int($0.value.score) })
            line.set("assessment", assessment.map { .string($0.stamp.id) })
            band = terms.band(rating: nil, score: assessment?.value.score)
        }
        guard let band else { return }
        settlement.quality = PenceMath.basisPoints(fee, band.adjustmentBp)
        line["adjustmentBp"] = .int(band.adjustmentBp)
        line["feePence"] = .int(fee)
        line["amountPence"] = .int(settlement.quality)
        settlement.lines.append(.object(line))
    }
}

extension Projections {
    /// The provider streams whose ratings the settlements of these projections' contracts read (the providers doing
    /// the work of contracts rewarding quality by rating: every member sharing it, and holders after a transfer),
    /// beyond the streams of the contracts' histories.
    ///
    /// Projections of a part of the log (`init(part:position:recorded:)`) answer `payments contract` as the whole
    /// log's do only when their events include these streams too.
    public var ratedProviderStreams: Set<String> {
        var streams = Set<String>()
        for record in facts.contracts.values {
            let agreement = record.agreement.value
            let variations = record.variations.map(\.value)
            let terms = [agreement.payment] + variations.compactMap(\.payment)
            guard terms.contains(where: { $0.quality?.basis == .rating }) else { continue }
            let workers = ([agreement.work] + variations.map(\.work)).flatMap { $0?.workers ?? [] }
            let doers =
                [agreement.supplier.provider].compactMap(\.self) + workers.map(\.provider)
                + record.transfers.map(\.value.provider)
            for doer in doers { streams.insert(EntityKind.provider.stream(doer)) }
        }
        return streams
    }
}
