import LedgerJSON

extension Projections {
    /// Every contract's settlements, in contract id order.
    func settlements(
        where include: (String, ContractRecord) -> Bool
    ) -> [(id: String, record: ContractRecord, periods: [PeriodSettlement])] {
        Self.sortedIDs(facts.contracts).compactMap { id in
            guard let record = facts.contracts[id], include(id, record) else { return nil }
            return (id, record, ContractSettlement(facts: facts, id: id, record: record).periods())
        }
    }

    func payments(scope: String, id: String, period: PeriodFilter) throws(QueryError) -> QueryResult {
        switch scope {
        case "contract":
            guard let record = facts.contracts[id] else { throw .notFound(.contract, id) }
            var totals = PaymentTotals()
            var members = PassThroughTotals()
            var rows = [JSONValue]()
            for settlement in ContractSettlement(facts: facts, id: id, record: record).periods()
            where period.contains(settlement.period) {
                totals.add(settlement, today: today)
                if let passThrough = settlement.passThrough {
                    members.add(passThrough, late: settlement.isMemberLate(today: today))
                }
                rows.append(settlement.json(today: today))
            }
            var summary: [String: JSONValue] = [
                "contract": .string(id), "commissioner": .string(record.agreement.value.commissioner),
                "totals": totals.json, "memberPassThrough": members.json,
            ]
            record.agreement.value.supplier.write(to: &summary)
            return QueryResult(rows: rows, summary: .object(summary))
        case "commissioner":
            guard facts.commissioners[id] != nil else { throw .notFound(.commissioner, id) }
            var totals = PaymentTotals()
            var members = PassThroughTotals()
            var rows = [JSONValue]()
            for contract in settlements(where: { $1.agreement.value.commissioner == id }) {
                for settlement in contract.periods where period.contains(settlement.period) {
                    totals.add(settlement, today: today)
                    if let passThrough = settlement.passThrough {
                        members.add(passThrough, late: settlement.isMemberLate(today: today))
                    }
                    rows.append(settlement.json(today: today))
                }
            }
            return QueryResult(
                rows: rows,
                summary: ["commissioner": .string(id), "totals": totals.json, "memberPassThrough": members.json]
            )
        case "provider":
            return try providerPayments(id, period: period)
        default:
            throw .badRequest("payments are by contract, provider or commissioner")
        }
    }

    /// A provider's money in each role: as contract holder, as a consortium's integrator, and as a member.
    private func providerPayments(_ id: String, period: PeriodFilter) throws(QueryError) -> QueryResult {
        guard facts.providers[id] != nil else { throw .notFound(.provider, id) }
        func integrator(of supplier: Supplier) -> String? {
            guard case .consortium(let consortium) = supplier else { return nil }
            return facts.consortia[consortium]?.registration.value.integrator
        }
        var asContractor = PaymentTotals()
        var asIntegrator = PaymentTotals()
        var feesKept: Int64 = 0
        var asMember = PassThroughTotals()
        var rows = [JSONValue]()
        for contract in settlements(where: { _, _ in true }) {
            let supplier = contract.record.agreement.value.supplier
            for settlement in contract.periods where period.contains(settlement.period) {
                var tier: String?
                if supplier == .provider(id) {
                    tier = "contractor"
                    asContractor.add(settlement, today: today)
                } else if integrator(of: supplier) == id {
                    tier = "integrator"
                    asIntegrator.add(settlement, today: today)
                    feesKept = PenceMath.add(feesKept, settlement.passThrough?.feePence ?? settlement.due)
                } else if let passThrough = settlement.passThrough, passThrough.member == id {
                    tier = "member"
                    asMember.add(passThrough, late: settlement.isMemberLate(today: today))
                }
                guard let tier, case .object(var row) = settlement.json(today: today) else { continue }
                row["tier"] = .string(tier)
                rows.append(.object(row))
            }
        }
        return QueryResult(
            rows: rows,
            summary: [
                "provider": .string(id), "asContractor": asContractor.json, "asIntegrator": asIntegrator.json,
                "integratorKeeps": .int(feesKept), "asMember": asMember.json,
            ]
        )
    }
}
