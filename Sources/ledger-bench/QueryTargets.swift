import ArgumentParser
import CommissioningScenario
import LedgerJSON

/// The ids `ledger-bench query` asks about, picked from the generated population: a commissioner with exceptions, the
/// provider with the most contracts, the first contract paid with its requirement, case and period, and the months
/// with the most payments, of all and of that provider.
struct QueryTargets {
    var commissioner: String
    var provider: String
    var contract: String
    var requirement: String
    var caseID: String
    var contractPeriod: String
    var providerPeriod: String
    var period: String

    /// The targets among a scenario's landmarks.
    init(_ landmarks: ScenarioLandmarks) throws {
        guard let commissioner = landmarks.commissioner, let provider = landmarks.busiestProvider,
            let contract = landmarks.paidContract, let requirement = landmarks.paidRequirement,
            let caseID = landmarks.paidCase, let contractPeriod = landmarks.paidPeriod,
            let providerPeriod = landmarks.busiestProviderPeriod, let period = landmarks.busiestPeriod
        else { throw ValidationError("the generated history has no paid contract: raise --events") }
        (self.commissioner, self.provider, self.contract, self.requirement) = (
            commissioner, provider, contract, requirement
        )
        (self.caseID, self.contractPeriod, self.providerPeriod, self.period) = (
            caseID, contractPeriod, providerPeriod, period
        )
    }

    /// The targets as `json` wrote them.
    init(_ object: JSONValue) throws {
        func text(_ key: String) throws -> String {
            guard let value = object[key]?.stringValue else { throw ValidationError("no \(key) in \(object)") }
            return value
        }
        (commissioner, provider, contract) = (try text("commissioner"), try text("provider"), try text("contract"))
        (requirement, caseID) = (try text("requirement"), try text("case"))
        (contractPeriod, providerPeriod, period) = (
            try text("contractPeriod"), try text("providerPeriod"), try text("period")
        )
    }

    /// The targets as a JSON object's members.
    var json: [String: JSONValue] {
        [
            "commissioner": .string(commissioner), "provider": .string(provider), "contract": .string(contract),
            "requirement": .string(requirement), "case": .string(caseID), "contractPeriod": .string(contractPeriod),
            "providerPeriod": .string(providerPeriod), "period": .string(period),
        ]
    }

    /// Every form of `QUERY` (its words), each with and without its optional period or commissioner.
    var forms: [String] {
        [
            "payments contract \(contract)", "payments contract \(contract) \(contractPeriod)",
            "payments provider \(provider)", "payments provider \(provider) \(providerPeriod)",
            "payments commissioner \(commissioner)", "payments commissioner \(commissioner) \(period)",
            "audit case \(caseID)", "audit requirement \(requirement)", "audit contract \(contract)",
            "audit exceptions", "audit exceptions \(commissioner)", "quality provider \(provider)",
            "market commissioner \(commissioner)", "market commissioner \(commissioner) \(period)",
        ]
    }
}
