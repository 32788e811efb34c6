import LedgerJSON

/// `payment-approved`: the commissioner approved an amount for a period.
struct Approval: Sendable, Equatable {
    var period: Period
    var amountPence: Int64

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
    }

    static let fields: JSONKeys = ["period", "amountPence"]

    var json: JSONValue { ["period": .string(period.text), "amountPence": .int(amountPence)] }
}
