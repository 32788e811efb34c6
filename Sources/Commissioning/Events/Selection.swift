import LedgerJSON

/// `provider-selected`: which offer was chosen, by whom (a role, never a name), on what basis and why.
struct Selection: Sendable, Equatable {
    /// A conflict of interest declared for a Provider Selection Regime decision, and how it was handled.
    struct Conflict: Sendable, Equatable {
        var declaredBy: String
        var interest: String
        var handling: String
    }

    /// A key criterion of a Provider Selection Regime decision and the assessment against it.
    struct Criterion: Sendable, Equatable {
        var criterion: String
        var assessment: String
    }

    var offer: String
    var decidedBy: String
    var basis: SelectionBasis
    var rationale: String
    /// The selected offer's place in the ranking, as the decision-maker saw it.
    var rank: Int64?
    var reason: OverrideReason?
    var conflicts: [Conflict]?
    var keyCriteria: [Criterion]?

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        offer = try data.identifier("offerId")
        decidedBy = try data.identifier("decidedBy")
        basis = try data.choice("basis")
        rationale = try data.text("rationale")
        rank = try data.optionalInteger("rank", in: 1...1_000_000)
        reason = try data.optionalChoice("reason")
        if let rank, rank > 1, reason == nil {
            throw InvalidEvent(field: data.field("reason"), message: "is required when the offer was not top-ranked")
        }
        conflicts =
            data.has("conflicts")
            ? try data.objects("conflicts", known: Self.conflictFields) {
                (conflict) throws(InvalidEvent) in
                Conflict(
                    declaredBy: try conflict.identifier("declaredBy"),
                    interest: try conflict.text("interest"),
                    handling: try conflict.text("handling")
                )
            } : nil
        keyCriteria =
            data.has("keyCriteria")
            ? try data.objects("keyCriteria", known: Self.criterionFields) { (criterion) throws(InvalidEvent) in
                Criterion(criterion: try criterion.text("criterion"), assessment: try criterion.text("assessment"))
            } : nil
    }

    static let fields: JSONKeys = [
        "offerId", "decidedBy", "basis", "rationale", "rank", "reason", "conflicts", "keyCriteria",
    ]
    static let conflictFields: JSONKeys = ["declaredBy", "interest", "handling"]
    static let criterionFields: JSONKeys = ["criterion", "assessment"]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "offerId": .string(offer), "decidedBy": .string(decidedBy), "basis": .string(basis.rawValue),
            "rationale": .string(rationale),
        ]
        object.set("rank", rank.map { .int($0) })
        object.set("reason", reason.map { .string($0.rawValue) })
        object.set(
            "conflicts",
            conflicts.map { list in
                .array(
                    list.map {
                        [
                            "declaredBy": .string($0.declaredBy), "interest": .string($0.interest),
                            "handling": .string($0.handling),
                        ]
                    }
                )
            }
        )
        object.set(
            "keyCriteria",
            keyCriteria.map { list in
                .array(list.map { ["criterion": .string($0.criterion), "assessment": .string($0.assessment)] })
            }
        )
        return .object(object)
    }
}
