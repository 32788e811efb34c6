import LedgerJSON

/// The counts and sums behind `market commissioner`, for one commissioner and any set of months: each requirement
/// and each settlement contributes one, and tallies add (and subtract, so a read model can replace an entity's part).
/// Every part that decides whether a row or key appears is counted, so that subtracting leaves no trace of it. The
/// only figures that depend on "today" (unpaid settlements overdue) are kept by due date and counted at the answer.
public struct MarketTally: Sendable, Equatable {
    var requirements: Int64 = 0
    var routes: [String: Int64] = [:]
    var selections: Int64 = 0
    var bases: [String: Int64] = [:]
    var lost: Int64 = 0
    var lostUnavailable: Int64 = 0
    var lostOverride: Int64 = 0
    var lostWithoutReason: Int64 = 0
    var reasons: [String: Int64] = [:]
    /// How many requirements and settlements involve each consortium.
    var consortia: [String: Int64] = [:]
    var spend: Int64 = 0
    var smeSpend: Int64 = 0
    /// Spend on work done by voluntary and community organisations (as they were at the award).
    var vcseSpend: Int64 = 0
    var consortiumSpend: Int64 = 0
    var spendByHolder: [String: Int64] = [:]
    /// How many settlements each holder has: a holder with settlements is listed even when nothing is due.
    var settlementsByHolder: [String: Int64] = [:]
    /// How many settlements each member did of each consortium's work, keyed `consortium`, 0, `member`.
    var worked: [String: Int64] = [:]
    var paidOnTime: Int64 = 0
    var paidLate: Int64 = 0
    /// Settlements due and unpaid, by due date (a day's ordinal): overdue once "today" is after it.
    var unpaidByDueOn: [Int64: Int64] = [:]
    var memberPaidOnTime: Int64 = 0
    var memberPaidLate: Int64 = 0
    var memberUnpaidByDueOn: [Int64: Int64] = [:]
    /// Invitations of providers to requirements, and whether each was responded to and selected: counts keyed
    /// `accessKey(...)` followed by `invited`, `responded` or `selected`.
    var access: [String: Int64] = [:]
    /// Spend by the provider doing the work (a consortium's member, not its integrator, when the member did it).
    var spendByDoer: [String: Int64] = [:]
    /// Settled periods (person-months: each contract serves one person) by the provider doing the work.
    var monthsByDoer: [String: Int64] = [:]

    public init() {}

    /// The start of the `access` keys of `provider` at `scale`, voluntary or not: the three joined by 0 bytes, then a
    /// 0 byte.
    static func accessKey(_ provider: String, _ scale: Scale, voluntary: Bool) -> String {
        "\(provider)\u{0}\(scale.rawValue)\u{0}\(voluntary ? "v" : "-")\u{0}"
    }

    /// Adds `other` (`sign` 1) or takes it away (`sign` -1).
    public mutating func add(_ other: MarketTally, sign: Int64 = 1) {
        precondition(sign == 1 || sign == -1, "a tally is added or taken away, once")
        func merge<Key>(_ mine: inout [Key: Int64], _ theirs: [Key: Int64]) {
            for (key, value) in theirs {
                let sum = PenceMath.add(mine[key] ?? 0, PenceMath.multiply(sign, value))
                mine[key] = sum == 0 ? nil : sum
            }
        }
        counters = zip(counters, other.counters).map { PenceMath.add($0, PenceMath.multiply(sign, $1)) }
        merge(&routes, other.routes)
        merge(&bases, other.bases)
        merge(&reasons, other.reasons)
        merge(&consortia, other.consortia)
        merge(&spendByHolder, other.spendByHolder)
        merge(&settlementsByHolder, other.settlementsByHolder)
        merge(&worked, other.worked)
        merge(&unpaidByDueOn, other.unpaidByDueOn)
        merge(&memberUnpaidByDueOn, other.memberUnpaidByDueOn)
        merge(&access, other.access)
        merge(&spendByDoer, other.spendByDoer)
        merge(&monthsByDoer, other.monthsByDoer)
    }

    /// The plain counts and sums, in a fixed order (as a read model stores them).
    var counters: [Int64] {
        get {
            [
                requirements, selections, lost, lostUnavailable, lostOverride, lostWithoutReason, spend, smeSpend,
                consortiumSpend, paidOnTime, paidLate, memberPaidOnTime, memberPaidLate, vcseSpend,
            ]
        }
        set {
            precondition(newValue.count == Self.counterCount, "a market tally has \(Self.counterCount) counters")
            (requirements, selections, lost, lostUnavailable) = (newValue[0], newValue[1], newValue[2], newValue[3])
            (lostOverride, lostWithoutReason, spend, smeSpend) = (newValue[4], newValue[5], newValue[6], newValue[7])
            (consortiumSpend, paidOnTime, paidLate) = (newValue[8], newValue[9], newValue[10])
            (memberPaidOnTime, memberPaidLate, vcseSpend) = (newValue[11], newValue[12], newValue[13])
        }
    }

    /// How many providers the market answer lists in `exposure` and in `access.neverSelected` (the largest): a
    /// commissioner may deal with thousands, and the answer is one line.
    static let listed = 25

    /// How many `counters` there are.
    static let counterCount = 14

    /// The answer about `commissioner` from this tally as of `today`, with each consortium's members as `members`
    /// names them: the spend rows and the summary.
    func answer(commissioner: String, today: Day?, members: (String) -> ConsortiumMembers?) -> QueryResult {
        var holders = SpendTally()
        holders.total = spend
        holders.sme = smeSpend
        holders.viaConsortia = consortiumSpend
        for holder in settlementsByHolder.keys { holders.byHolder[holder] = spendByHolder[holder] ?? 0 }
        let overdue = today.map { day in unpaidByDueOn.reduce(0) { $0 + ($1.key < Int64(day.ordinal) ? $1.value : 0) } }
        let memberOverdue = today.map { day in
            memberUnpaidByDueOn.reduce(0) { $0 + ($1.key < Int64(day.ordinal) ? $1.value : 0) }
        }
        let timeliness: JSONValue = [
            "paidOnTime": .int(paidOnTime), "paidLate": .int(paidLate), "overdueUnpaid": .int(overdue ?? 0),
            "memberPaidOnTime": .int(memberPaidOnTime),
            "memberLateOrOverdue": .int(memberPaidLate + (memberOverdue ?? 0)),
        ]
        return QueryResult(
            rows: holders.rows,
            summary: [
                "commissioner": .string(commissioner), "spendPence": .int(holders.total),
                "smeShareBp": holders.share(holders.sme), "vcseShareBp": holders.share(vcseSpend),
                "integratorsShareBp": holders.share(holders.viaConsortia), "access": accessAnswer,
                "exposure": exposureAnswer,
                "hhi": .int(holders.hhi), "requirements": .int(requirements), "routes": Projections.counts(routes),
                "spotPurchaseRateBp": Projections.rate(routes[Route.spotPurchase.rawValue] ?? 0, of: requirements),
                "directAwardRateBp": Projections.rate(routes[Route.directAward.rawValue] ?? 0, of: requirements),
                "selections": .int(selections), "selectionBases": Projections.counts(bases),
                "topRankedLost": [
                    "count": .int(lost), "rateBp": Projections.rate(lost, of: selections),
                    "declinedOrNoCapacity": .int(lostUnavailable), "override": .int(lostOverride),
                    "withoutReason": .int(lostWithoutReason), "byReason": Projections.counts(reasons),
                ],
                "membersWithoutWork": .array(membersWithoutWork(members)),
                "paymentTimeliness": timeliness,
            ]
        )
    }

    /// "Bid candy": the members of the consortia involved (other than the integrator, who leads the work) that did
    /// none of the work. Names in a bid that the work never reached.
    private func membersWithoutWork(_ members: (String) -> ConsortiumMembers?) -> [JSONValue] {
        var rows = [JSONValue]()
        for consortium in consortia.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let registration = members(consortium) else { continue }
            for member in registration.members
            where member.provider != registration.integrator && worked["\(consortium)\u{0}\(member.provider)"] == nil {
                rows.append([
                    "consortium": .string(consortium), "provider": .string(member.provider),
                    "shareBp": .int(member.shareBp),
                ])
            }
        }
        return rows
    }
}

/// A consortium's integrator and members with their shares, as `market` lists the members that got no work.
public struct ConsortiumMembers: Sendable, Equatable {
    let integrator: String
    let members: [ConsortiumRegistration.Member]
}
