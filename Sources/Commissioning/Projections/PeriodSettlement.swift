import LedgerJSON

/// What one contract owes and paid for one period: due by component with its line items, what was withheld and why,
/// approvals, payments, dates, and a consortium member's pass-through.
struct PeriodSettlement: SettlementFigures, Sendable {
    /// An amount not paid, and why.
    struct Withheld: Sendable {
        var amountPence: Int64
        var reason: String
        var outcome: String?
        var measurement: String?
    }

    /// The second tier of a consortium contract: what the integrator owes a member that did (a share of) the work.
    struct PassThrough: Sendable, Equatable {
        var integrator: String
        var member: String
        /// The member's share of the work (10000 when it did all of it).
        var shareBp: Int64
        var earnedPence: Int64
        var feePence: Int64
        /// Offsets of credits between integrator and member (the member's credit offset against a later period,
        /// less earlier credits offset against this one).
        var adjustmentsPence: Int64
        var duePence: Int64
        var paidPence: Int64
        var refundedPence: Int64
        var paidOn: Day?

        /// What the integrator still owes the member; negative when the member owes the integrator (a credit).
        var outstandingPence: Int64 { PenceMath.add(PenceMath.subtract(duePence, paidPence), refundedPence) }

        /// Whether the member was paid after `dueOn`, or is still owed after it as of `today`.
        func isLate(dueOn: Day, today: Day?) -> Bool {
            if let paidOn { return paidOn > dueOn }
            guard outstandingPence > 0, let today else { return false }
            return today > dueOn
        }

        func json(dueOn: Day, today: Day?, shared: Bool) -> JSONValue {
            var object: [String: JSONValue] = [
                "integrator": .string(integrator), "member": .string(member), "earnedPence": .int(earnedPence),
                "feePence": .int(feePence), "adjustmentsPence": .int(adjustmentsPence), "duePence": .int(duePence),
                "paidPence": .int(paidPence), "refundedPence": .int(refundedPence),
                "outstandingPence": .int(outstandingPence), "paidOn": paidOn.map { .string($0.text) } ?? .null,
                "late": .bool(isLate(dueOn: dueOn, today: today)),
            ]
            if shared { object["shareBp"] = .int(shareBp) }
            return .object(object)
        }
    }

    var contract: String
    var period: Period
    var model: PaymentModel
    var core: Int64 = 0
    var outcome: Int64 = 0
    var taskAndTime: Int64 = 0
    /// The reward for quality: an uplift (or, below 0, a reduction) of the fee.
    var quality: Int64 = 0
    /// Recoveries and offsets of credits.
    var adjustments: Int64 = 0
    var lines: [JSONValue] = []
    var withheld: [Withheld] = []
    /// How many outcome lines are due because their evidence is verified now.
    var verifiedOutcomeLines = 0
    var approved: Int64 = 0
    var paid: Int64 = 0
    /// Refunds of the period's credit by the contract holder.
    var refunded: Int64 = 0
    /// The date of the payment that settled the period in full, when it has been.
    var paidOn: Day?
    var dueOn: Day
    /// What the integrator owes each member doing (a share of) the work: one, or one per member sharing it.
    var passThroughs: [PassThrough] = []
    /// Whether the period's work is shared by members (`sharedBy`): its pass-throughs are listed as such.
    var sharedWork = false
    /// The integrator's own share of what the work earned, when it shares the work.
    var integratorOwnPence: Int64 = 0
    /// Each holder's share, when the contract changed holder by the period's end (or its payments name another).
    var holders: [PeriodShare] = []
    /// Each partner's share, for a pooled contract.
    var payers: [PeriodShare] = []
    /// The provider whose rating the period's reward for quality read.
    var ratedProvider: String?

    var withheldTotal: Int64 { withheld.reduce(0) { PenceMath.add($0, $1.amountPence) } }

    func json(today: Day?) -> JSONValue {
        var object: [String: JSONValue] = [
            "contract": .string(contract), "period": .string(period.text), "model": .string(model.rawValue),
            "due": [
                "core": .int(core), "outcome": .int(outcome), "taskAndTime": .int(taskAndTime),
                "quality": .int(quality), "adjustments": .int(adjustments), "total": .int(due),
            ],
            "lines": .array(lines),
            "withheld": .array(
                withheld.map { item in
                    var entry: [String: JSONValue] = [
                        "amountPence": .int(item.amountPence), "reason": .string(item.reason),
                    ]
                    entry.set("outcome", item.outcome.map { .string($0) })
                    entry.set("measurement", item.measurement.map { .string($0) })
                    return .object(entry)
                }
            ),
            "withheldTotal": .int(withheldTotal), "approved": .int(approved), "paid": .int(paid),
            "refunded": .int(refunded),
            "outstanding": .int(outstanding), "earnedOn": .string(period.lastDay.text), "dueOn": .string(dueOn.text),
            "paidOn": paidOn.map { .string($0.text) } ?? .null, "late": .bool(isLate(today: today)),
        ]
        if !holders.isEmpty { object["holders"] = .array(holders.map(\.json)) }
        if !payers.isEmpty { object["payers"] = .array(payers.map(\.json)) }
        if sharedWork {
            object["passThroughs"] = .array(passThroughs.map { $0.json(dueOn: dueOn, today: today, shared: true) })
        } else if let passThrough = passThroughs.first {
            object["passThrough"] = passThrough.json(dueOn: dueOn, today: today, shared: false)
        }
        return .object(object)
    }
}
