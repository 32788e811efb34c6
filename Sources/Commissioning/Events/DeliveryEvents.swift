import LedgerJSON

/// `service-delivered`: units of service (hours, nights, sessions) delivered in a period.
struct Delivery: Sendable, Equatable {
    /// The most units one event may record.
    static let maxUnits: Int64 = 1_000_000_000

    var period: Period
    var units: Int64

    init(_ data: FieldReader) throws(InvalidEvent) {
        period = try data.period("period")
        units = try data.integer("units", in: 0...Self.maxUnits)
    }

    static let fields = ["period", "units"]

    var json: JSONValue { ["period": .string(period.text), "units": .int(units)] }
}

/// `outcome-measured`: how far an outcome was attained in a period, with evidence. A later measurement of the same
/// outcome, period and case supersedes an earlier one.
struct Measurement: Sendable, Equatable {
    /// A licensed instrument's score is stored opaquely with its name and version.
    struct Instrument: Sendable, Equatable {
        var name: String
        var version: String
    }

    var period: Period
    var outcome: String
    var attainment: Attainment?
    /// The measured value, for outcomes with linear partial credit.
    var value: Int64?
    var evidenceRef: String
    var instrument: Instrument?
    /// The case the outcome is for, when the contract serves more than one.
    var caseID: String?

    init(_ data: FieldReader) throws(InvalidEvent) {
        period = try data.period("period")
        outcome = try data.identifier("outcome")
        attainment = try data.optionalChoice("attainment")
        value = try data.optionalInteger("value", in: Int64.min...Int64.max)
        switch (attainment, value) {
        case (nil, nil): throw InvalidEvent(field: data.field("attainment"), message: "is required (or value)")
        case (_?, _?): throw InvalidEvent(field: data.field("value"), message: "give attainment or value, not both")
        default: break
        }
        evidenceRef = try data.identifier("evidenceRef")
        if let instrument = try data.optionalObject("instrument", known: ["name", "version"]) {
            self.instrument = Instrument(name: try instrument.text("name"), version: try instrument.text("version"))
        }
        caseID = try data.optionalIdentifier("case")
    }

    static let fields = ["period", "outcome", "attainment", "value", "evidenceRef", "instrument", "case"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "outcome": .string(outcome), "evidenceRef": .string(evidenceRef),
        ]
        object.set("attainment", attainment.map { .string($0.rawValue) })
        object.set("value", value.map { .int($0) })
        object.set("instrument", instrument.map { ["name": .string($0.name), "version": .string($0.version)] })
        object.set("case", caseID.map { .string($0) })
        return .object(object)
    }
}

/// `outcome-verified`, `outcome-rejected` or `outcome-verification-withdrawn`: a decision on a measurement's
/// evidence, referencing the measurement event by id.
struct VerificationDecision: Sendable, Equatable {
    enum Kind: String, Sendable {
        case verified = "outcome-verified"
        case rejected = "outcome-rejected"
        case withdrawn = "outcome-verification-withdrawn"
    }

    var kind: Kind
    var measurement: String
    var by: String?
    var reason: String?

    init(_ kind: Kind, _ data: FieldReader) throws(InvalidEvent) {
        self.kind = kind
        measurement = try data.eventID("measurement")
        by = try data.optionalIdentifier("by")
        reason = kind == .verified ? try data.optionalText("reason") : try data.text("reason")
    }

    static let fields = ["measurement", "by", "reason"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["measurement": .string(measurement)]
        object.set("by", by.map { .string($0) })
        object.set("reason", reason.map { .string($0) })
        return .object(object)
    }
}

/// `payment-approved`: the commissioner approved an amount for a period.
struct Approval: Sendable, Equatable {
    var period: Period
    var amountPence: Int64

    init(_ data: FieldReader) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
    }

    static let fields = ["period", "amountPence"]

    var json: JSONValue { ["period": .string(period.text), "amountPence": .int(amountPence)] }
}

/// `payment-made`: money paid for a period: by the commissioner to the contract holder, or, with `member`, by a
/// consortium's integrator to that member.
struct PaymentMade: Sendable, Equatable {
    var period: Period
    var amountPence: Int64
    var paidOn: Day
    var member: String?

    init(_ data: FieldReader) throws(InvalidEvent) {
        period = try data.period("period")
        amountPence = try data.pence("amountPence")
        guard amountPence > 0 else { throw InvalidEvent(field: data.field("amountPence"), message: "must be above 0") }
        paidOn = try data.day("paidOn")
        member = try data.optionalIdentifier("member")
    }

    static let fields = ["period", "amountPence", "paidOn", "member"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "period": .string(period.text), "amountPence": .int(amountPence), "paidOn": .string(paidOn.text),
        ]
        object.set("member", member.map { .string($0) })
        return .object(object)
    }
}

/// `correction`: retracts an earlier event of the same stream; every projection then behaves as if it never happened.
struct Correction: Sendable, Equatable {
    var retracts: String
    var reason: String

    init(_ data: FieldReader) throws(InvalidEvent) {
        retracts = try data.eventID("retracts")
        reason = try data.text("reason")
    }

    static let fields = ["retracts", "reason"]

    var json: JSONValue { ["retracts": .string(retracts), "reason": .string(reason)] }
}
