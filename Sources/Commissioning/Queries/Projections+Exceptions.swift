import LedgerJSON

extension Projections {
    /// The exceptions an auditor looks for: a selection with no evaluation, a non-top-ranked choice with no reason, a
    /// direct award or spot purchase with no justification, a requirement sent to market without outcomes or
    /// preferences, and payments beyond what verified evidence (or delivery) supports.
    func exceptions(commissioner: String?) throws(QueryError) -> QueryResult {
        if let commissioner, facts.commissioners[commissioner] == nil { throw .notFound(.commissioner, commissioner) }
        let rows = exceptionRows(
            requirements: { commissioner == nil || $1.publication.value.commissioner == commissioner },
            contracts: { commissioner == nil || $1.agreement.value.commissioner == commissioner }
        )
        var byKind = [String: JSONValue]()
        for row in rows {
            guard let kind = row["kind"]?.stringValue else { continue }
            byKind[kind] = .int((byKind[kind]?.int64Value ?? 0) + 1)
        }
        var summary: [String: JSONValue] = ["count": .int(rows.count), "byKind": .object(byKind)]
        summary.set("commissioner", commissioner.map { .string($0) })
        return QueryResult(rows: rows, summary: .object(summary))
    }

    /// The exceptions of the requirements and contracts that pass the filters, in log order.
    func exceptionRows(
        requirements includeRequirement: (String, RequirementRecord) -> Bool,
        contracts includeContract: (String, ContractRecord) -> Bool
    ) -> [JSONValue] {
        var rows = [(UInt64, JSONValue)]()
        func add(_ kind: String, _ owner: String, _ stream: String, _ stamp: Stamp, _ detail: String) {
            rows.append(
                (
                    stamp.position,
                    [
                        "kind": .string(kind), "commissioner": .string(owner), "stream": .string(stream),
                        "position": .int(Int64(clamping: stamp.position)), "event": .string(stamp.id),
                        "detail": .string(detail),
                    ]
                )
            )
        }
        for id in Self.sortedIDs(facts.requirements) {
            guard let record = facts.requirements[id] else { continue }
            guard includeRequirement(id, record) else { continue }
            let publication = record.publication
            let owner = publication.value.commissioner
            let stream = EntityKind.requirement.stream(id)
            if publication.value.route.needsJustification, publication.value.justification == nil {
                add(
                    "unjustified-route",
                    owner,
                    stream,
                    publication.stamp,
                    "\(publication.value.route.rawValue) without justification"
                )
            }
            if publication.value.outcomes.isEmpty {
                add("requirement-without-outcomes", owner, stream, publication.stamp, "sent to market without outcomes")
            }
            if publication.value.preferences.isEmpty {
                add(
                    "requirement-without-preferences",
                    owner,
                    stream,
                    publication.stamp,
                    "sent to market without the person's preferences"
                )
            }
            guard let decision = facts.standingDecision(id) else { continue }
            if decision.evaluation == nil {
                add(
                    "selection-without-evaluation",
                    owner,
                    stream,
                    decision.selection.stamp,
                    "no evaluation before the selection"
                )
            } else if decision.topRankedLost, decision.selection.value.reason == nil {
                add(
                    "override-without-reason",
                    owner,
                    stream,
                    decision.selection.stamp,
                    "offer \(decision.selection.value.offer) chosen over the top-ranked offer without a reason"
                )
            }
        }
        for contract in settlements(where: includeContract) {
            let owner = contract.record.agreement.value.commissioner
            let stream = EntityKind.contract.stream(contract.id)
            let payments = facts.live(contract.record.payments, on: stream)
            for settlement in contract.periods where settlement.paid > settlement.due {
                guard
                    let payment = payments.last(where: {
                        $0.value.period == settlement.period && $0.value.member == nil
                    })
                else { continue }
                let kind =
                    settlement.model == .taskAndTime ? "payment-without-delivery" : "payment-without-verified-outcome"
                add(
                    kind,
                    owner,
                    stream,
                    payment.stamp,
                    "paid \(settlement.paid) pence for \(settlement.period.text) against \(settlement.due) due on the evidence"
                )
            }
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
