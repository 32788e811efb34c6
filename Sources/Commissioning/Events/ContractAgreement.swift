import LedgerJSON

/// `contract-agreed`: the placement or contract with its supplier and payment terms.
struct ContractAgreement: Sendable, Equatable {
    /// The default number of days between the end of a period and the date its payment is due.
    static let defaultPaymentTermsDays: Int64 = 30

    var requirement: String
    var commissioner: String
    var supplier: Supplier
    /// For a consortium: the members doing the work.
    var work: Work?
    var offer: String?
    var start: Day
    var end: Day?
    var paymentTermsDays: Int64?
    var payment: PaymentTerms
    /// A pooled budget (section 75): every partner, the host (`commissioner`) first, with its share of every amount;
    /// empty when the commissioner pays alone.
    var pool: [PoolPartner] = []

    /// A commissioner sharing a pooled contract's cost.
    struct PoolPartner: Sendable, Equatable {
        var commissioner: String
        var shareBp: Int64
    }

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        requirement = try data.identifier("requirement")
        commissioner = try data.identifier("commissioner")
        supplier = try Supplier(data)
        switch supplier {
        case .provider:
            try data.forbid("deliveredBy", "applies only to a consortium's contract")
            try data.forbid("sharedBy", "applies only to a consortium's contract")
        case .consortium:
            work = try Work.read(data, required: true)
        }
        offer = try data.optionalIdentifier("offerId")
        start = try data.day("start")
        end = try data.optionalDay("end")
        if let end, end < start { throw InvalidEvent(field: data.field("end"), message: "must not be before start") }
        paymentTermsDays = try data.optionalInteger("paymentTermsDays", in: 0...366)
        payment = try PaymentTerms(data.object("payment", known: PaymentTerms.fields))
        if data.has("pool") {
            let partners = try data.shares("pool", id: "commissioner", positive: true)
            guard let host = partners.firstIndex(where: { $0.id == commissioner }) else {
                throw InvalidEvent(field: data.field("pool"), message: "must include the commissioner (the host)")
            }
            guard partners.count > 1 else {
                throw InvalidEvent(field: data.field("pool"), message: "must name a partner beside the host")
            }
            let ordered = [partners[host]] + partners.enumerated().filter { $0.offset != host }.map(\.element)
            pool = ordered.map { PoolPartner(commissioner: $0.id, shareBp: $0.shareBp) }
        }
    }

    static let fields: JSONKeys = [
        "requirement", "commissioner", "provider", "consortium", "deliveredBy", "sharedBy", "offerId", "start", "end",
        "paymentTermsDays", "payment", "pool",
    ]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "requirement": .string(requirement), "commissioner": .string(commissioner), "start": .string(start.text),
            "payment": payment.json,
        ]
        supplier.write(to: &object)
        work?.write(to: &object)
        object.set("offerId", offer.map { .string($0) })
        object.set("end", end.map { .string($0.text) })
        object.set("paymentTermsDays", paymentTermsDays.map { .int($0) })
        if !pool.isEmpty {
            object["pool"] = .array(
                pool.map { ["commissioner": .string($0.commissioner), "shareBp": .int($0.shareBp)] }
            )
        }
        return .object(object)
    }
}
