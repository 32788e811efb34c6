/// Ids worth looking at in a generated scenario, picked while its events go by (`observe` each, in order) in memory
/// that does not grow with the scenario: a commissioner with a spot purchase, the first provider, the provider with the most contracts,
/// the first contract paid (with its requirement, case and period), and the months with the most payments.
public struct ScenarioLandmarks: Sendable {
    /// The commissioner of the first spot purchase (its selection, made without an evaluation, is an exception an
    /// auditor would question, so `audit exceptions` about it has rows), or else the first registered.
    public var commissioner: String? { spotPurchaser ?? firstCommissioner }
    private var firstCommissioner: String?
    private var spotPurchaser: String?
    /// The first provider registered.
    public private(set) var firstProvider: String?
    /// The contract of the first `payment-made`.
    public private(set) var paidContract: String?
    /// The period of the first `payment-made`.
    public private(set) var paidPeriod: String?
    /// The requirement `paidContract` was agreed for.
    public private(set) var paidRequirement: String?
    /// The case of `paidRequirement`.
    public private(set) var paidCase: String?
    /// Contracts per provider that holds or delivers them.
    private var contracts = [String: Int]()
    /// Payments per period.
    private var payments = [String: Int]()
    /// Payments per provider (holding or delivering the contract) and period.
    private var providerPayments = [String: [String: Int]]()
    /// The providers of each contract between its agreement and its end.
    private var running = [String: [String]]()
    /// Each requirement's case and each contract's requirement, kept only until the first payment.
    private var requirementCase = [String: String]()
    private var contractRequirement = [String: String]()

    public init() {}

    /// Takes note of the scenario's next event.
    public mutating func observe(_ event: ProposedDomainEvent) {
        let id = Self.entity(event.stream)
        switch event.type {
        case "commissioner-registered": firstCommissioner = firstCommissioner ?? id
        case "provider-registered": firstProvider = firstProvider ?? id
        case "requirement-published":
            if spotPurchaser == nil, event.data["route"]?.stringValue == "spot-purchase" {
                spotPurchaser = event.data["commissioner"]?.stringValue
            }
            if paidContract == nil { requirementCase[id] = event.data["case"]?.stringValue }
        case "contract-agreed":
            let providers = ["provider", "deliveredBy"].compactMap { event.data[$0]?.stringValue }
            for provider in providers { contracts[provider, default: 0] += 1 }
            running[id] = providers
            if paidContract == nil { contractRequirement[id] = event.data["requirement"]?.stringValue }
        case "contract-ended": running[id] = nil
        case "payment-made":
            if let period = event.data["period"]?.stringValue {
                payments[period, default: 0] += 1
                for provider in running[id] ?? [] { providerPayments[provider, default: [:]][period, default: 0] += 1 }
            }
            guard paidContract == nil else { break }
            paidContract = id
            paidPeriod = event.data["period"]?.stringValue
            paidRequirement = contractRequirement[id]
            paidCase = paidRequirement.flatMap { requirementCase[$0] }
            requirementCase = [:]
            contractRequirement = [:]
        default: break
        }
    }

    /// The provider that holds or delivers the most contracts (the first in byte order of those tied).
    public var busiestProvider: String? { Self.largest(contracts) }

    /// The period with the most payments (the first in byte order of those tied).
    public var busiestPeriod: String? { Self.largest(payments) }

    /// The period with the most payments on `busiestProvider`'s contracts (the first in byte order of those tied).
    public var busiestProviderPeriod: String? {
        busiestProvider.flatMap { providerPayments[$0] }.flatMap(Self.largest)
    }

    private static func largest(_ counts: [String: Int]) -> String? {
        counts.max { lower, higher in
            lower.value != higher.value
                ? lower.value < higher.value : higher.key.utf8.lexicographicallyPrecedes(lower.key.utf8)
        }?.key
    }

    /// The id in a stream name: `case-C0001` is `C0001`.
    private static func entity(_ stream: String) -> String {
        stream.firstIndex(of: "-").map { String(stream[stream.index(after: $0)...]) } ?? stream
    }
}
