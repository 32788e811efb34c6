import LedgerJSON

/// `credit-refunded` or `credit-offset`: a period's credit (money its payee owes back: a recovery, or an
/// overpayment) settled, by the commissioner with the contract holder, or, with `member`, by a consortium's
/// integrator with that member. Without `member`, the payee is the holder named (`provider` or `consortium`), or the
/// period's last holder.
struct CreditSettlement: Sendable, Equatable {
    enum Kind: String, Sendable {
        case refunded = "credit-refunded"
        case offset = "credit-offset"
    }

    /// How the credit was settled.
    enum Means: Sendable, Equatable {
        /// The payee paid the money back on that day.
        case refund(on: Day)
        /// The credit was netted against what that later period owes the same payee.
        case offset(against: Period)
    }

    var period: Period
    var amountPence: Int64
    var means: Means
    var member: String?
    /// The holder settling, when the settlement names one (`provider` or `consortium`).
    var payee: Supplier?

    var kind: Kind {
        switch means {
        case .refund: .refunded
        case .offset: .offset
        }
    }

    init(_ kind: Kind, _ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
        guard amountPence > 0 else { throw InvalidEvent(field: data.field("amountPence"), message: "must be above 0") }
        switch kind {
        case .refunded:
            means = .refund(on: try data.day("refundedOn"))
        case .offset:
            let against = try data.period("against")
            guard against > period else {
                throw InvalidEvent(field: data.field("against"), message: "must be a later month than period")
            }
            means = .offset(against: against)
        }
        member = try data.optionalIdentifier("member")
        payee = try Supplier.optional(data)
        if member != nil, payee != nil {
            throw InvalidEvent(
                field: data.field("member"),
                message: "a member settles with the integrator: name no holder"
            )
        }
    }

    /// The fields a `credit-refunded` event's data may hold.
    static let refundFields: JSONKeys = ["period", "amountPence", "refundedOn", "member", "provider", "consortium"]
    /// The fields a `credit-offset` event's data may hold.
    static let offsetFields: JSONKeys = ["period", "amountPence", "against", "member", "provider", "consortium"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["period": .string(period.text), "amountPence": .int(amountPence)]
        switch means {
        case .refund(let day): object["refundedOn"] = .string(day.text)
        case .offset(let against): object["against"] = .string(against.text)
        }
        object.set("member", member.map { .string($0) })
        payee?.write(to: &object)
        return .object(object)
    }
}
