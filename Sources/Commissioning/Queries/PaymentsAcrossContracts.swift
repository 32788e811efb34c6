import LedgerJSON

/// The answer to `payments commissioner|provider <id> [period]` built row by row from stored settlement rows (a read
/// model's), in contract order, as `Projections.query` answers it from the facts: the same rows, byte for byte, and
/// the same summary.
public struct PaymentsAcrossContracts: Sendable {
    /// The entity the answer is about: a commissioner or a provider.
    public let subject: (kind: EntityKind, id: String)
    private let period: PeriodFilter
    private let today: Day?
    private var totals = PaymentTotals()
    private var members = PassThroughTotals()
    private var asIntegrator = PaymentTotals()
    /// The whole of the pooled periods listed (a commissioner's `totals` count its share of them).
    private var pooled = PaymentTotals()
    private var feesKept: Int64 = 0

    /// Whether `arguments` (the words after QUERY) ask for payments across contracts: by commissioner or provider.
    public static func answers(_ arguments: [String]) -> Bool {
        arguments.count >= 3 && arguments[0] == "payments" && ["commissioner", "provider"].contains(arguments[1])
    }

    /// The answer to `arguments` (the words after QUERY) as of a state whose last event was recorded at `recorded`;
    /// nil when they are not a payments query across contracts.
    /// - Throws: `QueryError` (`BAD_REQUEST`) for a bad period or too many words.
    public init?(_ arguments: [String], recorded: String) throws(QueryError) {
        guard Self.answers(arguments) else { return nil }
        let kind: EntityKind = arguments[1] == "commissioner" ? .commissioner : .provider
        guard arguments.count <= 4 else {
            throw .badRequest("usage: payments contract|provider|commissioner <id> [period]")
        }
        subject = (kind, arguments[2])
        period = try PeriodFilter(arguments[safe: 3])
        today = Day(String(recorded.prefix(10)))
    }

    /// The months the answer covers.
    public var scope: PeriodScope { period.scope }

    /// The error for a subject that is not registered.
    public var notFound: QueryError { .notFound(subject.kind, subject.id) }

    /// Adds `row`, of a contract with `parties`, to the answer when it belongs there, writing its JSON to `json`.
    /// - Returns: whether it belongs.
    public mutating func add(_ row: SettlementRow, of parties: ContractParties, to json: inout [UInt8]) -> Bool {
        guard period.contains(row.period) else { return false }
        let id = subject.id
        if subject.kind == .commissioner {
            guard parties.payers.contains(id) else { return false }
            if row.payers.isEmpty {
                totals.add(row, today: today)
            } else {
                guard let share = row.payers.first(where: { $0.party == .payer(id) }) else { return false }
                totals.add(share, today: today)
                pooled.add(row, today: today)
            }
            // The pool's host runs the contract: the integrator's pass-through to members is reported to it.
            if parties.commissioner == id {
                for passThrough in row.passThroughs {
                    members.add(passThrough, late: passThrough.isLate(dueOn: row.dueOn, today: today))
                }
            }
            row.write(today: today, tier: nil, to: &json)
            return true
        }
        let tier: String
        if !row.holders.isEmpty {
            // A contract that changed holder: each holder's totals count its share (a provider may hold one share
            // itself, lead the consortium holding another, or be passed money for its work in that one).
            let own = row.holders.first { $0.party == .holder(.provider(id)) }
            let led = parties.integrator == id ? row.leadShare(parties) : nil
            let passed = row.passThroughs.first { $0.member == id }
            if let own { totals.add(own, today: today) }
            if let led {
                asIntegrator.add(led, today: today)
                feesKept = PenceMath.add(feesKept, row.integratorKeeps(ofDue: led.due))
            }
            if let passed { members.add(passed, late: passed.isLate(dueOn: row.dueOn, today: today)) }
            if own != nil {
                tier = "contractor"
            } else if led != nil {
                tier = "integrator"
            } else if passed != nil {
                tier = "member"
            } else {
                return false
            }
        } else if parties.contractor == id {
            tier = "contractor"
            totals.add(row, today: today)
        } else if parties.integrator == id {
            tier = "integrator"
            asIntegrator.add(row, today: today)
            feesKept = PenceMath.add(feesKept, row.integratorKeeps(ofDue: row.due))
        } else if let passThrough = row.passThroughs.first(where: { $0.member == id }) {
            tier = "member"
            members.add(passThrough, late: passThrough.isLate(dueOn: row.dueOn, today: today))
        } else {
            return false
        }
        row.write(today: today, tier: tier, to: &json)
        return true
    }

    /// The summary of the rows added.
    public var summary: JSONValue {
        switch subject.kind {
        case .commissioner:
            [
                "commissioner": .string(subject.id), "totals": totals.json, "pooled": pooled.json,
                "memberPassThrough": members.json,
            ]
        default:
            [
                "provider": .string(subject.id), "asContractor": totals.json, "asIntegrator": asIntegrator.json,
                "integratorKeeps": .int(feesKept), "asMember": members.json,
            ]
        }
    }
}
