import LedgerJSON

/// `payment-made`: money paid for a period: by the commissioner to the contract holder, or, with `member`, by a
/// consortium's integrator to that member.
struct PaymentMade: Sendable, Equatable {
    var period: Period
    var amountPence: Int64
    var paidOn: Day
    var member: String?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
        guard amountPence > 0 else { throw InvalidEvent(field: data.field("amountPence"), message: "must be above 0") }
        paidOn = try data.day("paidOn")
        member = try data.optionalIdentifier("member")
    }

    static let fields: JSONKeys = ["period", "amountPence", "paidOn", "member"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "amountPence": .int(amountPence), "paidOn": .string(paidOn.text),
        ]
        object.set("member", member.map { .string($0) })
        return .object(object)
    }
}
