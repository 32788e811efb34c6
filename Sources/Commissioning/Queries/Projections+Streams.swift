extension Projections {
    /// The streams whose events the answer to `arguments` reads, when it is about one entity's history: `payments
    /// contract <id> [period]` and `audit case|requirement|contract <id>`; nil for the queries that read across the
    /// log. For a known entity they are its case's, requirements' and contracts' streams (as `audit` connects them)
    /// and the streams of the consortia holding those contracts; for an unknown one, its own stream alone.
    ///
    /// Projections of those streams alone (`init(part:position:recorded:)`) answer the query as these do.
    public func streams(answering arguments: [String]) -> [String]? {
        guard arguments.count >= 3 else { return nil }
        let id = arguments[2]
        var cases = [String]()
        var requirements = [String]()
        var contracts = [String]()
        switch (arguments[0], arguments[1], arguments.count) {
        case ("payments", "contract", 3...4), ("audit", "contract", 3):
            contracts = [id]
            requirements = facts.contracts[id].map { [$0.agreement.value.requirement] } ?? []
            cases = requirements.compactMap { facts.requirements[$0]?.publication.value.caseID }
        case ("audit", "requirement", 3):
            requirements = [id]
            cases = facts.requirements[id].map { [$0.publication.value.caseID] } ?? []
            contracts = facts.requirements[id]?.contracts ?? []
        case ("audit", "case", 3):
            cases = [id]
            requirements = facts.cases[id]?.requirements ?? []
            contracts = requirements.flatMap { facts.requirements[$0]?.contracts ?? [] }
        default:
            return nil
        }
        let consortia = contracts.compactMap { id -> String? in
            guard case .consortium(let consortium) = facts.contracts[id]?.agreement.value.supplier else { return nil }
            return consortium
        }
        var streams = [String]()
        var seen = Set<String>()
        for (kind, ids) in [
            (EntityKind.case, cases), (.requirement, requirements), (.contract, contracts), (.consortium, consortia),
        ] {
            for id in ids where seen.insert(kind.stream(id)).inserted { streams.append(kind.stream(id)) }
        }
        return streams
    }
}
