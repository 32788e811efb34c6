import LedgerJSON

/// One party's share of a contract's period: a holder's, once the contract changed holder (`contract-transferred`),
/// or a partner's of a pooled budget (`pool`).
///
/// A holder's share is its part of what the period earned by the days it held the contract, its part of each recovery
/// by the days it held the period recovered, and the payments, refunds and offsets that name it (or the period's last
/// holder, naming none). A partner's is its `shareBp` of every amount, and the payments it made.
struct PeriodShare: SettlementFigures, Sendable, Equatable {
    /// Whose share it is.
    enum Party: Hashable, Sendable {
        case holder(Supplier)
        /// A commissioner paying into a pooled budget.
        case payer(String)
    }

    var party: Party
    /// What it was shared by: a holder's days in the period (0 for one owing only a recovery or settling a credit),
    /// or a partner's basis points.
    var weight: Int64
    var period: Period
    var dueOn: Day
    var core: Int64 = 0
    var outcome: Int64 = 0
    var taskAndTime: Int64 = 0
    var quality: Int64 = 0
    var adjustments: Int64 = 0
    var approved: Int64 = 0
    var paid: Int64 = 0
    var refunded: Int64 = 0
    var withheldTotal: Int64 = 0
    var paidOn: Day?
    /// A share has no pass-throughs of its own: the row's are the consortium holder's.
    var passThroughs: [PeriodSettlement.PassThrough] { [] }

    init(_ party: Party, weight: Int64, period: Period, dueOn: Day) {
        self.party = party
        self.weight = weight
        self.period = period
        self.dueOn = dueOn
    }

    /// The holder, for a holder's share.
    var holder: Supplier? {
        guard case .holder(let holder) = party else { return nil }
        return holder
    }

    /// The commissioner, for a partner's share.
    var payer: String? {
        guard case .payer(let commissioner) = party else { return nil }
        return commissioner
    }

    /// The share as a row's `holders` or `payers` lists it (no `late` flag: a row has only its own and its
    /// pass-through's).
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "due": [
                "core": .int(core), "outcome": .int(outcome), "taskAndTime": .int(taskAndTime),
                "quality": .int(quality), "adjustments": .int(adjustments), "total": .int(due),
            ],
            "withheldTotal": .int(withheldTotal), "approved": .int(approved), "paid": .int(paid),
            "refunded": .int(refunded), "outstanding": .int(outstanding),
            "paidOn": paidOn.map { .string($0.text) } ?? .null,
        ]
        switch party {
        case .holder(let holder):
            holder.write(to: &object)
            object["days"] = .int(weight)
        case .payer(let commissioner):
            object["commissioner"] = .string(commissioner)
            object["shareBp"] = .int(weight)
        }
        return .object(object)
    }
}

extension [PeriodShare] {
    /// Adds to each share its part of `amount` by their weights (`PenceMath.shares`: the first takes what rounding
    /// leaves).
    mutating func share(_ amount: Int64, into figure: WritableKeyPath<PeriodShare, Int64>) {
        for (index, part) in PenceMath.shares(of: amount, weights: map(\.weight)).enumerated() {
            self[index][keyPath: figure] = PenceMath.add(self[index][keyPath: figure], part)
        }
    }

    /// Pays each share the `payments` to (or by) its party, in order, adding a share of nothing for a party with
    /// none; the shares' payments then add up to `settlement`'s (both sums clamped alike: every payment is above 0).
    mutating func pay(
        _ payments: [(party: PeriodShare.Party, payment: Stamped<PaymentMade>)],
        addingUpTo settlement: PeriodSettlement
    ) {
        var byParty = [PeriodShare.Party: [Stamped<PaymentMade>]]()
        for (party, payment) in payments {
            if !contains(where: { $0.party == party }) {
                append(PeriodShare(party, weight: 0, period: settlement.period, dueOn: settlement.dueOn))
            }
            byParty[party, default: []].append(payment)
        }
        for index in indices {
            let paid = ContractSettlement.paid(byParty[self[index].party] ?? [], due: self[index].due)
            self[index].paid = paid.total
            self[index].paidOn = paid.settledOn
        }
        precondition(reduce(0) { PenceMath.add($0, $1.paid) } == settlement.paid, "shares paid other than their period")
    }

    /// Each share's part of the period's earnings: core, outcome, task-and-time and quality, and what was approved
    /// and withheld.
    mutating func shareEarnings(of settlement: PeriodSettlement) {
        share(settlement.core, into: \.core)
        share(settlement.outcome, into: \.outcome)
        share(settlement.taskAndTime, into: \.taskAndTime)
        share(settlement.quality, into: \.quality)
        share(settlement.approved, into: \.approved)
        share(settlement.withheldTotal, into: \.withheldTotal)
    }
}
