import CommissioningScenario

/// Ids from a generated scenario worth looking at, and the commands that show them.
struct DemoGuide {
    /// The first commissioner's id.
    private(set) var commissioner: String?
    private var provider: String?
    private var paidContract: String?
    private var requirementCase = [String: String]()
    private var contractRequirement = [String: String]()

    /// Picks ids from `events`: the first commissioner and provider, and a case whose contract was paid.
    init(_ events: [ProposedDomainEvent]) {
        for event in events {
            let id = Self.entity(event.stream)
            switch event.type {
            case "commissioner-registered": commissioner = commissioner ?? id
            case "provider-registered": provider = provider ?? id
            case "requirement-published": requirementCase[id] = event.data["case"]?.stringValue
            case "contract-agreed": contractRequirement[id] = event.data["requirement"]?.stringValue
            case "payment-made": paidContract = paidContract ?? id
            default: break
            }
        }
    }

    /// The case of the first paid contract.
    var paidCase: String? {
        paidContract.flatMap { contractRequirement[$0] }.flatMap { requirementCase[$0] }
    }

    /// The commands to print, each with what it shows.
    var commands: [(command: String, shows: String)] {
        var commands = [(String, String)]()
        if let commissioner {
            commands.append(("ledgerctl query payments commissioner \(commissioner)", "what is due, paid and late"))
            commands.append(("ledgerctl query market commissioner \(commissioner)", "spend, SME share, HHI"))
            commands.append(("ledgerctl query audit exceptions \(commissioner)", "decisions an auditor would question"))
        }
        if let paidCase {
            commands.append(("ledgerctl history case \(paidCase)", "a case's decisions, need to payment"))
        }
        if let paidContract {
            commands.append(
                ("ledgerctl query payments contract \(paidContract) --csv", "one contract, for a spreadsheet")
            )
        }
        if let provider { commands.append(("ledgerctl query quality provider \(provider)", "ratings and attainment")) }
        commands.append(("ledgerctl verify", "rehash the log and recompute its Merkle root"))
        return commands
    }

    /// The id in a stream name: `case-C0001` is `C0001`.
    private static func entity(_ stream: String) -> String {
        stream.firstIndex(of: "-").map { String(stream[stream.index(after: $0)...]) } ?? stream
    }
}
