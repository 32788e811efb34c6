import LedgerJSON

/// `contract-varied`: new terms from a period on (payment terms, payment days, the members doing the work, end date).
struct Variation: Sendable, Equatable {
    var from: Period
    var payment: PaymentTerms?
    var paymentTermsDays: Int64?
    /// The consortium members now doing the work.
    var work: Work?
    var end: Day?
    var reason: String

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        from = try data.period("from")
        payment = try data.optionalObject("payment", known: PaymentTerms.fields).map { (terms) throws(InvalidEvent) in
            try PaymentTerms(terms)
        }
        paymentTermsDays = try data.optionalInteger("paymentTermsDays", in: 0...366)
        work = try Work.read(data, required: false)
        end = try data.optionalDay("end")
        reason = try data.text("reason")
        if payment == nil, paymentTermsDays == nil, work == nil, end == nil {
            throw InvalidEvent(
                field: data.field("payment"),
                message: "a variation must change payment, paymentTermsDays, deliveredBy, sharedBy or end"
            )
        }
    }

    static let fields: JSONKeys = ["from", "payment", "paymentTermsDays", "deliveredBy", "sharedBy", "end", "reason"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["from": .string(from.text), "reason": .string(reason)]
        object.set("payment", payment?.json)
        object.set("paymentTermsDays", paymentTermsDays.map { .int($0) })
        work?.write(to: &object)
        object.set("end", end.map { .string($0.text) })
        return .object(object)
    }
}
