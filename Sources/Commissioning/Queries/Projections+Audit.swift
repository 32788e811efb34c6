import LedgerJSON

extension Projections {
    /// The ordered decision history of a case, requirement or contract, with everything connected to it: a case's
    /// requirements and their contracts; a requirement's case and contracts; a contract's requirement and case.
    /// Each entry has the leaf hash `leafHashes` gives for its position.
    func audit(
        scope: String,
        id: String,
        leafHashes: (UInt64) throws(QueryError) -> String?
    ) throws(QueryError) -> QueryResult {
        var cases = [String]()
        var requirements = [String]()
        var contracts = [String]()
        switch scope {
        case "case":
            guard let record = facts.cases[id] else { throw .notFound(.case, id) }
            cases = [id]
            requirements = record.requirements
            contracts = requirements.flatMap { facts.requirements[$0]?.contracts ?? [] }
        case "requirement":
            guard let record = facts.requirements[id] else { throw .notFound(.requirement, id) }
            cases = [record.publication.value.caseID]
            requirements = [id]
            contracts = record.contracts
        case "contract":
            guard let record = facts.contracts[id] else { throw .notFound(.contract, id) }
            contracts = [id]
            requirements = [record.agreement.value.requirement]
            cases = requirements.compactMap { facts.requirements[$0]?.publication.value.caseID }
        default:
            throw .badRequest("audit is by case, requirement or contract (or audit exceptions)")
        }
        let entries = facts.auditEntries(cases: cases, requirements: requirements, contracts: contracts)
        let exceptions = exceptionRows(
            requirements: { id, _ in requirements.contains(id) },
            contracts: { id, _ in contracts.contains(id) }
        )
        return QueryResult(
            rows: try entries.map { (entry) throws(QueryError) in
                entry.json(leafHash: try leafHashes(entry.stamp.position))
            },
            summary: [
                "scope": .string(scope), "id": .string(id), "entries": .int(entries.count),
                "retracted": .int(entries.filter { $0.retractedBy != nil }.count), "exceptions": .array(exceptions),
            ]
        )
    }
}
