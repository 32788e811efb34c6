import LedgerJSON

/// The event types of the catalogue (`Protocols/events.md`). Types beginning with `x-` are local extensions and are
/// not listed here.
enum EventType: String, Sendable, CaseIterable {
    case commissionerRegistered = "commissioner-registered"
    case providerRegistered = "provider-registered"
    case providerRatingChanged = "provider-rating-changed"
    case providerScaleChanged = "provider-scale-changed"
    case consortiumRegistered = "consortium-registered"
    case needAssessed = "need-assessed"
    case requirementPublished = "requirement-published"
    case offerSubmitted = "offer-submitted"
    case offersEvaluated = "offers-evaluated"
    case providerSelected = "provider-selected"
    case contractAgreed = "contract-agreed"
    case contractVaried = "contract-varied"
    case contractEnded = "contract-ended"
    case contractTransferred = "contract-transferred"
    case serviceDelivered = "service-delivered"
    case outcomeMeasured = "outcome-measured"
    case outcomeVerified = "outcome-verified"
    case outcomeRejected = "outcome-rejected"
    case outcomeVerificationWithdrawn = "outcome-verification-withdrawn"
    case paymentApproved = "payment-approved"
    case paymentMade = "payment-made"
    case creditRefunded = "credit-refunded"
    case creditOffset = "credit-offset"
    case qualityAssessed = "quality-assessed"
    case populationOutcomeMeasured = "population-outcome-measured"
    case correction

    /// The type `node` holds, when it is one of the catalogue's, found by its bytes (without making a `String`).
    init?(_ node: borrowing JSONNode) {
        guard let index = node.index(in: Self.rawValues) else { return nil }
        self = Self.all[index]
    }

    /// Every type, made once (`allCases` makes a new array each time).
    private static let all = allCases
    /// Their raw values, in the same order.
    private static let rawValues = JSONKeys(all.map(\.rawValue))

    /// The kind of stream the event belongs on; nil for a correction, which goes on the stream of the event it
    /// retracts.
    var streamKind: EntityKind? {
        switch self {
        case .commissionerRegistered: .commissioner
        case .providerRegistered, .providerRatingChanged, .providerScaleChanged: .provider
        case .consortiumRegistered: .consortium
        case .needAssessed: .case
        case .requirementPublished, .offerSubmitted, .offersEvaluated, .providerSelected: .requirement
        case .contractAgreed, .contractVaried, .contractEnded, .contractTransferred, .serviceDelivered,
            .outcomeMeasured, .outcomeVerified,
            .outcomeRejected, .outcomeVerificationWithdrawn, .paymentApproved, .paymentMade, .creditRefunded,
            .creditOffset, .qualityAssessed, .populationOutcomeMeasured:
            .contract
        case .correction: nil
        }
    }

    /// Whether the event creates the entity of its stream.
    var createsEntity: Bool {
        switch self {
        case .commissionerRegistered, .providerRegistered, .consortiumRegistered, .needAssessed,
            .requirementPublished, .contractAgreed:
            true
        default: false
        }
    }

    /// The fields its `data` may hold.
    var fields: JSONKeys {
        switch self {
        case .commissionerRegistered: CommissionerRegistration.fields
        case .providerRegistered: ProviderRegistration.fields
        case .providerRatingChanged: RatingChange.fields
        case .providerScaleChanged: ScaleChange.fields
        case .consortiumRegistered: ConsortiumRegistration.fields
        case .needAssessed: NeedAssessment.fields
        case .requirementPublished: RequirementPublication.fields
        case .offerSubmitted: OfferSubmission.fields
        case .offersEvaluated: Evaluation.fields
        case .providerSelected: Selection.fields
        case .contractAgreed: ContractAgreement.fields
        case .contractVaried: Variation.fields
        case .contractEnded: Ending.fields
        case .contractTransferred: ContractTransfer.fields
        case .serviceDelivered: Delivery.fields
        case .outcomeMeasured: Measurement.fields
        case .outcomeVerified, .outcomeRejected, .outcomeVerificationWithdrawn: VerificationDecision.fields
        case .paymentApproved: Approval.fields
        case .paymentMade: PaymentMade.fields
        case .creditRefunded: CreditSettlement.refundFields
        case .creditOffset: CreditSettlement.offsetFields
        case .qualityAssessed: QualityAssessment.fields
        case .populationOutcomeMeasured: PopulationMeasurement.fields
        case .correction: Correction.fields
        }
    }
}
