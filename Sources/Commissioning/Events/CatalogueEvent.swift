import LedgerJSON

/// A catalogue event's data, decoded and checked.
enum CatalogueEvent: Sendable, Equatable {
    case commissionerRegistered(CommissionerRegistration)
    case providerRegistered(ProviderRegistration)
    case providerRatingChanged(RatingChange)
    case providerScaleChanged(ScaleChange)
    case consortiumRegistered(ConsortiumRegistration)
    case needAssessed(NeedAssessment)
    case requirementPublished(RequirementPublication)
    case offerSubmitted(OfferSubmission)
    case offersEvaluated(Evaluation)
    case providerSelected(Selection)
    case contractAgreed(ContractAgreement)
    case contractVaried(Variation)
    case contractEnded(Ending)
    case contractTransferred(ContractTransfer)
    case serviceDelivered(Delivery)
    case outcomeMeasured(Measurement)
    case verification(VerificationDecision)
    case paymentApproved(Approval)
    case paymentMade(PaymentMade)
    case creditSettlement(CreditSettlement)
    case qualityAssessed(QualityAssessment)
    case populationMeasured(PopulationMeasurement)
    case correction(Correction)

    /// Decodes and checks the `data` of an event of `type`.
    init(type: EventType, data value: some JSONReadable) throws(InvalidEvent) {
        let data = try FieldReader(value, path: "data", known: type.fields)
        switch type {
        case .commissionerRegistered: self = .commissionerRegistered(try CommissionerRegistration(data))
        case .providerRegistered: self = .providerRegistered(try ProviderRegistration(data))
        case .providerRatingChanged: self = .providerRatingChanged(try RatingChange(data))
        case .providerScaleChanged: self = .providerScaleChanged(try ScaleChange(data))
        case .consortiumRegistered: self = .consortiumRegistered(try ConsortiumRegistration(data))
        case .needAssessed: self = .needAssessed(try NeedAssessment(data))
        case .requirementPublished: self = .requirementPublished(try RequirementPublication(data))
        case .offerSubmitted: self = .offerSubmitted(try OfferSubmission(data))
        case .offersEvaluated: self = .offersEvaluated(try Evaluation(data))
        case .providerSelected: self = .providerSelected(try Selection(data))
        case .contractAgreed: self = .contractAgreed(try ContractAgreement(data))
        case .contractVaried: self = .contractVaried(try Variation(data))
        case .contractEnded: self = .contractEnded(try Ending(data))
        case .contractTransferred: self = .contractTransferred(try ContractTransfer(data))
        case .serviceDelivered: self = .serviceDelivered(try Delivery(data))
        case .outcomeMeasured: self = .outcomeMeasured(try Measurement(data))
        case .outcomeVerified: self = .verification(try VerificationDecision(.verified, data))
        case .outcomeRejected: self = .verification(try VerificationDecision(.rejected, data))
        case .outcomeVerificationWithdrawn: self = .verification(try VerificationDecision(.withdrawn, data))
        case .paymentApproved: self = .paymentApproved(try Approval(data))
        case .paymentMade: self = .paymentMade(try PaymentMade(data))
        case .creditRefunded: self = .creditSettlement(try CreditSettlement(.refunded, data))
        case .creditOffset: self = .creditSettlement(try CreditSettlement(.offset, data))
        case .qualityAssessed: self = .qualityAssessed(try QualityAssessment(data))
        case .populationOutcomeMeasured: self = .populationMeasured(try PopulationMeasurement(data))
        case .correction: self = .correction(try Correction(data))
        }
    }

    /// The other entity streams the event refers to, in field order, without repeats.
    var references: [String] {
        var streams = [String]()
        func add(_ kind: EntityKind, _ id: String?) {
            guard let id else { return }
            let stream = kind.stream(id)
            if !streams.contains(stream) { streams.append(stream) }
        }
        switch self {
        case .consortiumRegistered(let consortium):
            add(.provider, consortium.integrator)
            for member in consortium.members { add(.provider, member.provider) }
        case .needAssessed(let need): add(.commissioner, need.commissioner)
        case .requirementPublished(let requirement):
            add(.case, requirement.caseID)
            add(.commissioner, requirement.commissioner)
            for provider in requirement.invited { add(.provider, provider) }
            for consortium in requirement.invitedConsortia { add(.consortium, consortium) }
        case .offerSubmitted(let offer): streams.append(offer.supplier.stream)
        case .contractAgreed(let contract):
            add(.requirement, contract.requirement)
            add(.commissioner, contract.commissioner)
            streams.append(contract.supplier.stream)
            for worker in contract.work?.workers ?? [] { add(.provider, worker.provider) }
            for partner in contract.pool { add(.commissioner, partner.commissioner) }
        case .contractVaried(let variation):
            for worker in variation.work?.workers ?? [] { add(.provider, worker.provider) }
        case .contractTransferred(let transfer): add(.provider, transfer.provider)
        case .outcomeMeasured(let measurement): add(.case, measurement.caseID)
        case .paymentMade(let payment):
            add(.provider, payment.member)
            add(.commissioner, payment.payer)
            if let payee = payment.payee { streams.append(payee.stream) }
        case .creditSettlement(let settlement):
            add(.provider, settlement.member)
            if let payee = settlement.payee { streams.append(payee.stream) }
        case .providerSelected, .commissionerRegistered, .providerRegistered, .providerRatingChanged,
            .providerScaleChanged,
            .offersEvaluated, .contractEnded, .serviceDelivered, .verification, .paymentApproved, .qualityAssessed,
            .populationMeasured,
            .correction:
            break
        }
        return streams
    }

    /// The data as canonical JSON (optional fields present only when given).
    var json: JSONValue {
        switch self {
        case .commissionerRegistered(let value): value.json
        case .providerRegistered(let value): value.json
        case .providerRatingChanged(let value): value.json
        case .providerScaleChanged(let value): value.json
        case .consortiumRegistered(let value): value.json
        case .needAssessed(let value): value.json
        case .requirementPublished(let value): value.json
        case .offerSubmitted(let value): value.json
        case .offersEvaluated(let value): value.json
        case .providerSelected(let value): value.json
        case .contractAgreed(let value): value.json
        case .contractVaried(let value): value.json
        case .contractEnded(let value): value.json
        case .contractTransferred(let value): value.json
        case .serviceDelivered(let value): value.json
        case .outcomeMeasured(let value): value.json
        case .verification(let value): value.json
        case .paymentApproved(let value): value.json
        case .paymentMade(let value): value.json
        case .creditSettlement(let value): value.json
        case .qualityAssessed(let value): value.json
        case .populationMeasured(let value): value.json
        case .correction(let value): value.json
        }
    }
}
