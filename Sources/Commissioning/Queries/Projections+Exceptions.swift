import LedgerJSON

extension Projections {
    /// The exceptions an auditor looks for: a selection with no evaluation, a non-top-ranked choice with no reason, a
    /// direct award or spot purchase with no justification, a requirement sent to market without outcomes or
    /// preferences, and payments beyond what verified evidence (or delivery) supports.
    func exceptions(commissioner: String?) throws(QueryError) -> QueryResult {
        if let commissioner, facts.commissioners[commissioner] == nil { throw .notFound(.commissioner, commissioner) }
        var answer = ExceptionsAcrossLog(["audit", "exceptions"] + (commissioner.map { [$0] } ?? []))
        let rows = exceptionRows(
            requirements: { commissioner == nil || $1.publication.value.commissioner == commissioner },
            contracts: { commissioner == nil || $1.agreement.value.commissioner == commissioner }
        )
        for row in rows { answer?.add(kind: row["kind"]?.stringValue ?? "") }
        return QueryResult(rows: rows, summary: answer?.summary ?? [:])
    }

    /// The exceptions of the requirements and contracts that pass the filters, in log order.
    func exceptionRows(
        requirements includeRequirement: (String, RequirementRecord) -> Bool,
        contracts includeContract: (String, ContractRecord) -> Bool
    ) -> [JSONValue] {
        var rows = [ExceptionRow]()
        for id in Self.sortedIDs(facts.requirements) {
            guard let record = facts.requirements[id], includeRequirement(id, record) else { continue }
            rows += exceptions(ofRequirement: id, record)
        }
        for contract in settlements(where: includeContract) {
            rows += exceptions(ofContract: contract.id, contract.record, contract.periods)
        }
        return rows.sorted { $0.position < $1.position }.map(\.row)
    }

    /// A requirement's exceptions: a route needing a justification without one, no outcomes, no preferences, a
    /// selection without an evaluation or overriding the top-ranked offer without a reason.
    func exceptions(ofRequirement id: String, _ record: RequirementRecord) -> [ExceptionRow] {
        var rows = [ExceptionRow]()
        let publication = record.publication
        let owner = publication.value.commissioner
        let stream = EntityKind.requirement.stream(id)
        func add(_ kind: String, _ stamp: Stamp, _ detail: String) {
            rows.append(ExceptionRow(kind: kind, commissioner: owner, stream: stream, stamp: stamp, detail: detail))
        }
        if publication.value.route.needsJustification, publication.value.justification == nil {
            add("unjustified-route", publication.stamp, "\(publication.value.route.rawValue) without justification")
        }
        if publication.value.outcomes.isEmpty {
            add("requirement-without-outcomes", publication.stamp, "sent to market without outcomes")
        }
        if publication.value.preferences.isEmpty {
            add(
                "requirement-without-preferences",
                publication.stamp,
                "sent to market without the person's preferences"
            )
        }
        guard let decision = facts.standingDecision(id) else { return rows }
        if decision.evaluation == nil {
            add("selection-without-evaluation", decision.selection.stamp, "no evaluation before the selection")
        } else if decision.topRankedLost, decision.selection.value.reason == nil {
            add(
                "override-without-reason",
                decision.selection.stamp,
                "offer \(decision.selection.value.offer) chosen over the top-ranked offer without a reason"
            )
        }
        return rows
    }

    /// A contract's exceptions: each period paid beyond what its evidence (or delivery) supports, given its
    /// settlements.
    func exceptions(ofContract id: String, _ record: ContractRecord, _ periods: [PeriodSettlement]) -> [ExceptionRow] {
        let owner = record.agreement.value.commissioner
        let stream = EntityKind.contract.stream(id)
        let payments = facts.live(record.payments, on: stream)
        var rows = [ExceptionRow]()
        for settlement in periods where PenceMath.subtract(settlement.paid, settlement.refunded) > settlement.due {
            guard
                let payment = payments.last(where: { $0.value.period == settlement.period && $0.value.member == nil })
            else { continue }
            let kind =
                settlement.model == .taskAndTime ? "payment-without-delivery" : "payment-without-verified-outcome"
            rows.append(
                ExceptionRow(
                    kind: kind,
                    commissioner: owner,
                    stream: stream,
                    stamp: payment.stamp,
                    detail:
                        "paid \(settlement.paid) pence for \(settlement.period.text) against \(settlement.due) due on the evidence"
                )
            )
        }
        return rows
    }
}
