/// A provider's size; micro, small and medium are SMEs (fewer than 250 staff, turnover up to GBP 44m).
enum Scale: String, Sendable, CaseIterable {
    case micro, small, medium, large

    /// Whether this scale is a small or medium-sized enterprise.
    var isSME: Bool { self != .large }
}

/// The body that inspects a provider.
enum Regulator: String, Sendable, CaseIterable {
    case cqc, ofsted, none
}

/// A regulator's rating.
enum Rating: String, Sendable, CaseIterable {
    case outstanding, good
    case requiresImprovement = "requires-improvement"
    case inadequate
    case notRated = "not-rated"
}

/// The kind of commissioning body.
enum CommissionerKind: String, Sendable, CaseIterable {
    case localAuthority = "local-authority"
    case nhsBody = "nhs-body"
}

/// How a requirement goes to market.
enum Route: String, Sendable, CaseIterable {
    case miniCompetition = "mini-competition"
    case frameworkCallOff = "framework-call-off"
    case directAward = "direct-award"
    case spotPurchase = "spot-purchase"

    /// Whether this route needs a recorded justification.
    var needsJustification: Bool { self == .directAward || self == .spotPurchase }
}

/// The basis on which a provider was selected.
enum SelectionBasis: String, Sendable, CaseIterable {
    case capability, price
    case personChoice = "person-choice"
    case continuity, capacity, relationship
}

/// Why the selected offer was not the top-ranked one.
enum OverrideReason: String, Sendable, CaseIterable {
    case declined
    case noCapacity = "no-capacity"
    case personChoice = "person-choice"
    case proximity
    case specialistNeed = "specialist-need"
    case continuityOfCare = "continuity-of-care"
    case siblingsTogether = "siblings-together"
    case tribunalOrder = "tribunal-order"
    case urgency, safeguarding

    /// True when the top-ranked provider could not take the work, as opposed to the commissioner overriding it.
    var isUnavailability: Bool { self == .declined || self == .noCapacity }
}

/// How a contract pays.
enum PaymentModel: String, Sendable, CaseIterable {
    case taskAndTime = "task-and-time"
    case outcomeBased = "outcome-based"
    case blended
}

/// How far a measured outcome was attained.
enum Attainment: String, Sendable, CaseIterable {
    case achieved, partial
    case notAchieved = "not-achieved"
}

/// Why a contract ended.
enum EndReason: String, Sendable, CaseIterable {
    case completed
    case terminatedByCommissioner = "terminated-by-commissioner"
    case terminatedByProvider = "terminated-by-provider"
    case needsChanged = "needs-changed"
    case other
}

/// Why a contract moved to another provider.
enum TransferReason: String, Sendable, CaseIterable {
    case providerFailed = "provider-failed"
    case handedBack = "handed-back"
    case commissionerDecision = "commissioner-decision"
}
