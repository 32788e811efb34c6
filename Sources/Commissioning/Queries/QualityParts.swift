import LedgerJSON

/// A provider's standing for `quality provider`: its rating rows (the registration's, then each live change), its
/// rating and its scale now. Read only from the provider's own stream.
public struct ProviderStanding: Sendable, Equatable {
    let rows: [JSONValue]
    let rating: String
    let scale: String

    /// The stored form: the rating, the scale, then each row's JSON.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        writer.text(rating)
        writer.text(scale)
        for row in rows {
            var json = [UInt8]()
            row.write(to: &json)
            writer.int(Int64(json.count))
            writer.bytes += json
        }
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a record.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let rating = reader.text(), let scale = reader.text() else { return nil }
        var rows = [JSONValue]()
        while !reader.remaining.isEmpty {
            guard let count = reader.offset(within: reader.remaining.count - 8),
                let row = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: reader.remaining.prefix(count)))
            else { return nil }
            reader.offset += count
            rows.append(row)
        }
        self.rows = rows
        self.rating = rating
        self.scale = scale
    }

    init(rows: [JSONValue], rating: String, scale: String) {
        self.rows = rows
        self.rating = rating
        self.scale = scale
    }
}

/// One evaluation of a provider's offer, as `quality provider` lists it and counts it.
public struct EvaluationRow: Sendable, Equatable {
    public let provider: String
    let row: JSONValue
    let tally: EvaluationTally

    /// The stored form: the provider, the tally's figures, then the row's JSON.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        writer.text(provider)
        tally.write(to: &writer)
        row.write(to: &writer.bytes)
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a record.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let provider = reader.text(), let tally = EvaluationTally.read(&reader),
            let row = try? JSONParser.parse(reader.remaining)
        else { return nil }
        self.provider = provider
        self.tally = tally
        self.row = row
    }

    init(provider: String, row: JSONValue, tally: EvaluationTally) {
        self.provider = provider
        self.row = row
        self.tally = tally
    }
}

/// A provider's outcome attainment on the work it delivered under one contract.
public struct ProviderAttainment: Sendable, Equatable {
    let tally: AttainmentTally

    init(_ tally: AttainmentTally) {
        self.tally = tally
    }

    /// The stored form: the tally's counts.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        tally.write(to: &writer)
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a record.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let tally = AttainmentTally.read(&reader), reader.remaining.isEmpty else { return nil }
        self.tally = tally
    }
}

extension Projections {
    /// The provider's standing now; nil for an unknown provider.
    public func providerStanding(_ id: String) -> ProviderStanding? {
        guard let provider = facts.providers[id] else { return nil }
        let stream = EntityKind.provider.stream(id)
        let registration = provider.registration
        let changes = facts.live(provider.ratings, on: stream)
        var rows = [
            Self.ratingRow(registration.stamp, registration.value.regulator, registration.value.rating, effective: nil)
        ]
        for change in changes {
            rows.append(
                Self.ratingRow(
                    change.stamp,
                    change.value.regulator,
                    change.value.rating,
                    effective: change.value.effective
                )
            )
        }
        return ProviderStanding(
            rows: rows,
            rating: (changes.last?.value.rating ?? registration.value.rating).rawValue,
            scale: facts.scale(of: id, before: position + 1)?.rawValue ?? ""
        )
    }

    /// The evaluations of providers' own offers (not consortia's) on the requirement `id`, in offer order: each against
    /// the requirement's last live evaluation and its standing decision. None for an unknown requirement.
    public func evaluationRows(ofRequirement id: String) -> [EvaluationRow] {
        guard let record = facts.requirements[id] else { return [] }
        let stream = EntityKind.requirement.stream(id)
        guard let evaluation = facts.live(record.evaluations, on: stream).last else { return [] }
        let selected = facts.standingDecision(id)?.selection.value.offer
        var rows = [EvaluationRow]()
        for offer in facts.live(record.offers, on: stream) {
            guard case .provider(let provider) = offer.value.supplier,
                let score = evaluation.value.scores.first(where: { $0.offer == offer.value.offer })
            else { continue }
            let rank = evaluation.value.rank(of: offer.value.offer) ?? 0
            let combined = evaluation.value.combined(score)
            var tally = EvaluationTally()
            tally.add(score, combined: combined, rank: rank, selected: selected == offer.value.offer)
            let row: JSONValue = [
                "kind": "evaluation", "requirement": .string(id), "offerId": .string(offer.value.offer),
                "position": .int(Int64(clamping: evaluation.stamp.position)),
                "qualityScore": .int(score.qualityScore), "priceScore": .int(score.priceScore),
                "combinedScore": .int(combined), "rank": .int(rank),
                "offers": .int(evaluation.value.ranking.count), "selected": .bool(selected == offer.value.offer),
            ]
            rows.append(EvaluationRow(provider: provider, row: row, tally: tally))
        }
        return rows
    }

    /// Each provider's attainment on the work it delivered under the contract `id`.
    public func attainments(ofContract id: String) -> [String: ProviderAttainment] {
        guard let record = facts.contracts[id] else { return [:] }
        return AttainmentTally.byProvider(contract: id, record, facts: facts).mapValues(ProviderAttainment.init)
    }
}
