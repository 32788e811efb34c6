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
                for passThrough in settlement.passThroughs {
                    members.add(passThrough, late: passThrough.isLate(dueOn: settlement.dueOn, today: today))
                }
                rows.append(settlement.json(today: today))
            }
            var summary: [String: JSONValue] = [
                "contract": .string(id), "commissioner": .string(record.agreement.value.commissioner),
                "totals": totals.json, "memberPassThrough": members.json,
            ]
            record.agreement.value.supplier.write(to: &summary)
            let pool = record.agreement.value.pool
            if !pool.isEmpty {
                summary["pool"] = .array(
                    pool.map { ["commissioner": .string($0.commissioner), "shareBp": .int($0.shareBp)] }
                )
            }
            return QueryResult(rows: rows, summary: .object(summary))
        default:
            throw .badRequest("payments are by contract, provider or commissioner")
        }
    }

    /// `payments commissioner|provider <id> [period]`, built as the read models build it (`PaymentsAcrossContracts`),
    /// from settlements computed now.
    func paymentsAcrossContracts(_ arguments: [String]) throws(QueryError) -> QueryResult {
        guard var answer = try PaymentsAcrossContracts(arguments, recorded: lastRecorded) else {
            preconditionFailure("not a payments query across contracts: \(arguments)")
        }
        let subject = answer.subject
        guard isRegistered(subject.kind, subject.id) else { throw answer.notFound }
        var rows = [JSONValue]()
        var json = [UInt8]()
        let contracts = settlements { subject.kind != .commissioner || parties(of: $1).payers.contains(subject.id) }
        for contract in contracts {
            let parties = self.parties(of: contract.record)
            for settlement in contract.periods {
                json.removeAll(keepingCapacity: true)
                guard answer.add(SettlementRow(settlement), of: parties, to: &json) else { continue }
                do {
                    rows.append(try JSONParser.parse(json))
                } catch {
                    preconditionFailure("a settlement row that does not parse: \(error)")
                }
            }
        }
        return QueryResult(rows: rows, summary: answer.summary)
    }
}
