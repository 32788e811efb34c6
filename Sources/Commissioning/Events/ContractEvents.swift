import LedgerJSON

/// `contract-agreed`: the placement or contract with its supplier and payment terms.
struct ContractAgreement: Sendable, Equatable {
    /// The default number of days between the end of a period and the date its payment is due.
    static let defaultPaymentTermsDays: Int64 = 30

    var requirement: String
    var commissioner: String
    var supplier: Supplier
    /// For a consortium: the member provider that does the work.
    var deliveredBy: String?
    var offer: String?
    var start: Day
    var end: Day?
    var paymentTermsDays: Int64?
    var payment: PaymentTerms

    init(_ data: FieldReader) throws(InvalidEvent) {
        requirement = try data.identifier("requirement")
        commissioner = try data.identifier("commissioner")
        supplier = try Supplier(data)
        switch supplier {
        case .provider: try data.forbid("deliveredBy", "applies only to a consortium's contract")
        case .consortium: deliveredBy = try data.identifier("deliveredBy")
        }
        offer = try data.optionalIdentifier("offerId")
        start = try data.day("start")
        end = try data.optionalDay("end")
        if let end, end < start { throw InvalidEvent(field: data.field("end"), message: "must not be before start") }
        paymentTermsDays = try data.optionalInteger("paymentTermsDays", in: 0...366)
        payment = try PaymentTerms(data.object("payment", known: PaymentTerms.fields))
    }

    static let fields = [
        "requirement", "commissioner", "provider", "consortium", "deliveredBy", "offerId", "start", "end",
        "paymentTermsDays", "payment",
    ]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "requirement": .string(requirement), "commissioner": .string(commissioner), "start": .string(start.text),
            "payment": payment.json,
        ]
        supplier.write(to: &object)
        object.set("deliveredBy", deliveredBy.map { .string($0) })
        object.set("offerId", offer.map { .string($0) })
        object.set("end", end.map { .string($0.text) })
        object.set("paymentTermsDays", paymentTermsDays.map { .int($0) })
        return .object(object)
    }
}

/// `contract-varied`: new terms from a period on (payment terms, payment days, the delivering member, end date).
struct Variation: Sendable, Equatable {
    var from: Period
    var payment: PaymentTerms?
    var paymentTermsDays: Int64?
    var deliveredBy: String?
    var end: Day?
    var reason: String

    init(_ data: FieldReader) throws(InvalidEvent) {
        from = try data.period("from")
        payment = try data.optionalObject("payment", known: PaymentTerms.fields).map { (terms) throws(InvalidEvent) in
            try PaymentTerms(terms)
        }
        paymentTermsDays = try data.optionalInteger("paymentTermsDays", in: 0...366)
        deliveredBy = try data.optionalIdentifier("deliveredBy")
        end = try data.optionalDay("end")
        reason = try data.text("reason")
        if payment == nil, paymentTermsDays == nil, deliveredBy == nil, end == nil {
            throw InvalidEvent(
                field: data.field("payment"),
                message: "a variation must change payment, paymentTermsDays, deliveredBy or end"
            )
        }
    }

    static let fields = ["from", "payment", "paymentTermsDays", "deliveredBy", "end", "reason"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["from": .string(from.text), "reason": .string(reason)]
        object.set("payment", payment?.json)
        object.set("paymentTermsDays", paymentTermsDays.map { .int($0) })
        object.set("deliveredBy", deliveredBy.map { .string($0) })
        object.set("end", end.map { .string($0.text) })
        return .object(object)
    }
}

/// `contract-ended`: the contract stopped, when and why.
struct Ending: Sendable, Equatable {
    var endedOn: Day
    var reason: EndReason
    var note: String?

    init(_ data: FieldReader) throws(InvalidEvent) {
        endedOn = try data.day("endedOn")
        reason = try data.choice("reason")
        note = try data.optionalText("note")
    }

    static let fields = ["endedOn", "reason", "note"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["endedOn": .string(endedOn.text), "reason": .string(reason.rawValue)]
        object.set("note", note.map { .string($0) })
        return .object(object)
    }
}
