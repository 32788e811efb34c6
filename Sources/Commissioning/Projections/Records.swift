/// A registered commissioner.
struct CommissionerRecord: Sendable, Equatable {
    var registration: Stamped<CommissionerRegistration>
}

/// A registered provider with its rating and scale history.
struct ProviderRecord: Sendable, Equatable {
    var registration: Stamped<ProviderRegistration>
    var ratings: [Stamped<RatingChange>] = []
    var scales: [Stamped<ScaleChange>] = []
}

/// A registered consortium.
struct ConsortiumRecord: Sendable, Equatable {
    var registration: Stamped<ConsortiumRegistration>
}

/// An assessed need and the requirements published for it.
struct CaseRecord: Sendable, Equatable {
    var need: Stamped<NeedAssessment>
    var requirements: [String] = []
}

/// A requirement with its offers, evaluations, selections and the contracts agreed from it.
struct RequirementRecord: Sendable, Equatable {
    var publication: Stamped<RequirementPublication>
    var offers: [Stamped<OfferSubmission>] = []
    var evaluations: [Stamped<Evaluation>] = []
    var selections: [Stamped<Selection>] = []
    var contracts: [String] = []
}

/// A contract with everything that happened under it.
struct ContractRecord: Sendable, Equatable {
    var agreement: Stamped<ContractAgreement>
    var variations: [Stamped<Variation>] = []
    var endings: [Stamped<Ending>] = []
    var transfers: [Stamped<ContractTransfer>] = []
    var deliveries: [Stamped<Delivery>] = []
    var measurements: [Stamped<Measurement>] = []
    var decisions: [Stamped<VerificationDecision>] = []
    var approvals: [Stamped<Approval>] = []
    var payments: [Stamped<PaymentMade>] = []
    var creditSettlements: [Stamped<CreditSettlement>] = []
    var qualityAssessments: [Stamped<QualityAssessment>] = []
    var populationMeasurements: [Stamped<PopulationMeasurement>] = []
}

/// A correction and the stream it was appended to.
struct CorrectionRecord: Sendable, Equatable {
    var stream: String
    var correction: Stamped<Correction>
}

/// The cases, requirements and contracts that exist and how they link, as `.registries` keeps them: the position of
/// each one's creating fact and the ids it links, without the facts themselves.
struct EntityLinkTable: Sendable, Equatable {
    struct Case: Sendable, Equatable {
        var position: UInt64
        /// The requirements published for it, in log order.
        var requirements: [String] = []
    }

    struct Requirement: Sendable, Equatable {
        var position: UInt64
        var caseID: String
        /// The contracts agreed from it, in log order.
        var contracts: [String] = []
    }

    struct Contract: Sendable, Equatable {
        var position: UInt64
        var requirement: String
        var consortium: String?
    }

    var cases: [String: Case] = [:]
    var requirements: [String: Requirement] = [:]
    var contracts: [String: Contract] = [:]
}
