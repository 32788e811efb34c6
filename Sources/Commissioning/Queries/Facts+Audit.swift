import LedgerJSON

extension Facts {
    /// The decision history of the given case, requirement and contract streams, in log order.
    func auditEntries(cases: [String], requirements: [String], contracts: [String]) -> [AuditEntry] {
        var entries = [AuditEntry]()
        func add<Value>(
            _ fact: Stamped<Value>,
            _ kind: EntityKind,
            _ id: String,
            _ type: String,
            what: String,
            details: JSONValue,
            who: String? = nil,
            basis: String? = nil,
            amount: Int64? = nil
        ) {
            entries.append(
                AuditEntry(
                    stamp: fact.stamp,
                    stream: kind.stream(id),
                    type: type,
                    who: who ?? fact.stamp.actor,
                    what: what,
                    basis: basis,
                    amountPence: amount,
                    details: details,
                    retractedBy: nil
                )
            )
        }
        for id in cases {
            guard let need = self.cases[id]?.need else { continue }
            var details = need.value.json.objectValue ?? [:]
            details["personRef"] = nil
            add(
                need,
                .case,
                id,
                "need-assessed",
                what:
                    "need assessed: \(need.value.outcomes.count) outcomes, \(need.value.preferences.count) preferences",
                details: .object(details)
            )
        }
        for id in requirements {
            guard let record = self.requirements[id] else { continue }
            let publication = record.publication.value
            add(
                record.publication,
                .requirement,
                id,
                "requirement-published",
                what: "requirement published by \(publication.route.rawValue) to "
                    + "\(publication.invited.count + publication.invitedConsortia.count) invitees",
                details: publication.json,
                basis: publication.justification
            )
            for offer in record.offers {
                add(
                    offer,
                    .requirement,
                    id,
                    "offer-submitted",
                    what: "offer \(offer.value.offer) from \(offer.value.supplier.stream)",
                    details: offer.value.json,
                    amount: offer.value.pricePence
                )
            }
            for evaluation in record.evaluations {
                add(
                    evaluation,
                    .requirement,
                    id,
                    "offers-evaluated",
                    what: "offers evaluated; ranking: \(evaluation.value.ranking.joined(separator: ", "))",
                    details: evaluation.value.json
                )
            }
            for selection in record.selections {
                add(
                    selection,
                    .requirement,
                    id,
                    "provider-selected",
                    what: "offer \(selection.value.offer) selected"
                        + (selection.value.reason.map { " over the top-ranked offer (\($0.rawValue))" } ?? ""),
                    details: selection.value.json,
                    who: selection.value.decidedBy,
                    basis: selection.value.basis.rawValue
                )
            }
        }
        for id in contracts {
            guard let record = self.contracts[id] else { continue }
            contractEntries(id, record, add: &entries)
        }
        for record in corrections {
            guard let (kind, id) = EntityKind.parse(stream: record.stream),
                (kind == .case && cases.contains(id)) || (kind == .requirement && requirements.contains(id))
                    || (kind == .contract && contracts.contains(id))
            else { continue }
            add(
                record.correction,
                kind,
                id,
                "correction",
                what: "retracts \(record.correction.value.retracts)",
                details: record.correction.value.json,
                basis: record.correction.value.reason
            )
        }
        for index in entries.indices where isRetracted(entries[index].stamp, on: entries[index].stream) {
            entries[index].retractedBy =
                corrections.first {
                    $0.stream == entries[index].stream && $0.correction.value.retracts == entries[index].stamp.id
                }?.correction.stamp.id
        }
        return entries.sorted { $0.stamp.position < $1.stamp.position }
    }

    private func contractEntries(_ id: String, _ record: ContractRecord, add entries: inout [AuditEntry]) {
        func add<Value>(_ fact: Stamped<Value>, _ type: String, _ what: String, _ details: JSONValue, _ amount: Int64?)
        {
            entries.append(
                AuditEntry(
                    stamp: fact.stamp,
                    stream: EntityKind.contract.stream(id),
                    type: type,
                    who: fact.stamp.actor,
                    what: what,
                    basis: nil,
                    amountPence: amount,
                    details: details,
                    retractedBy: nil
                )
            )
        }
        let agreement = record.agreement.value
        var agreed = "contract agreed with \(agreement.supplier.stream), \(agreement.payment.model.rawValue)"
        if let work = agreement.work, work.isShared {
            agreed += ", work shared by " + work.workers.map(\.provider).joined(separator: ", ")
        }
        if !agreement.pool.isEmpty {
            agreed += ", pooled with " + agreement.pool.dropFirst().map(\.commissioner).joined(separator: ", ")
        }
        add(record.agreement, "contract-agreed", agreed, agreement.json, nil)
        for fact in record.variations {
            add(
                fact,
                "contract-varied",
                "terms varied from \(fact.value.from.text): \(fact.value.reason)",
                fact.value.json,
                nil
            )
        }
        for fact in record.endings {
            add(fact, "contract-ended", "contract ended \(fact.value.reason.rawValue)", fact.value.json, nil)
        }
        for fact in record.transfers {
            let value = fact.value
            add(
                fact,
                "contract-transferred",
                "contract transferred to provider-\(value.provider) from \(value.on.text): \(value.reason.rawValue)",
                value.json,
                nil
            )
        }
        for fact in record.deliveries {
            add(
                fact,
                "service-delivered",
                "\(fact.value.units) units delivered in \(fact.value.period.text)",
                fact.value.json,
                nil
            )
        }
        for fact in record.measurements {
            let attainment = fact.value.attainment?.rawValue ?? "value \(fact.value.value ?? 0)"
            add(
                fact,
                "outcome-measured",
                "outcome \(fact.value.outcome) measured \(attainment) in \(fact.value.period.text)",
                fact.value.json,
                nil
            )
        }
        for fact in record.decisions {
            add(fact, fact.value.kind.rawValue, "measurement \(fact.value.measurement)", fact.value.json, nil)
        }
        for fact in record.approvals {
            add(
                fact,
                "payment-approved",
                "payment approved for \(fact.value.period.text)",
                fact.value.json,
                fact.value.amountPence
            )
        }
        for fact in record.payments {
            let payee = fact.value.member.map { "member \($0)" } ?? fact.value.payee?.stream ?? "contract holder"
            add(
                fact,
                "payment-made",
                (fact.value.payer.map { "paid by commissioner-\($0) to " } ?? "paid to ")
                    + "\(payee) for \(fact.value.period.text) on \(fact.value.paidOn.text)",
                fact.value.json,
                fact.value.amountPence
            )
        }
        for fact in record.populationMeasurements {
            let value = fact.value
            add(
                fact,
                "population-outcome-measured",
                "\(value.measure) measured \(value.value) over \(value.cohort) in \(value.period.text)",
                value.json,
                nil
            )
        }
        for fact in record.qualityAssessments {
            add(
                fact,
                "quality-assessed",
                "quality scored \(fact.value.score) for \(fact.value.period.text)",
                fact.value.json,
                nil
            )
        }
        for fact in record.creditSettlements {
            let payee = fact.value.member.map { "member \($0)" } ?? fact.value.payee?.stream ?? "contract holder"
            let what =
                switch fact.value.means {
                case .refund(let day): "refunded by \(payee) on \(day.text)"
                case .offset(let against): "offset against \(against.text) with \(payee)"
                }
            add(
                fact,
                fact.value.kind.rawValue,
                "credit of \(fact.value.period.text) \(what)",
                fact.value.json,
                fact.value.amountPence
            )
        }
    }
}
