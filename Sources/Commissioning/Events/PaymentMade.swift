import LedgerJSON

/// `payment-made`: money paid for a period: by the commissioner to a holder of the contract (`payee`, when named;
/// otherwise the period's last holder), or, with `member`, by a consortium's integrator to that member.
struct PaymentMade: Sendable, Equatable {
    var period: Period
    var amountPence: Int64
    var paidOn: Day
    var member: String?
    /// The holder paid, when the payment names one (`provider` or `consortium`).
    var payee: Supplier?
    /// The partner paying, for a pooled contract (otherwise, and by default, its host: the contract's commissioner).
    var payer: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
        guard amountPence > 0 else { throw InvalidEvent(field: data.field("amountPence"), message: "must be above 0") }
        paidOn = try data.day("paidOn")
        member = try data.optionalIdentifier("member")
        payee = try Supplier.optional(data)
        payer = try data.optionalIdentifier("payer")
        if member != nil, payee != nil || payer != nil {
            throw InvalidEvent(
                field: data.field("member"),
                message: "the integrator pays a member: name no holder or payer"
            )
        }
    }

    static let fields: JSONKeys = ["period", "amountPence", "paidOn", "member", "provider", "consortium", "payer"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "amountPence": .int(amountPence), "paidOn": .string(paidOn.text),
        ]
        object.set("member", member.map { .string($0) })
        payee?.write(to: &object)
        object.set("payer", payer.map { .string($0) })
        return .object(object)
    }
}
