import CommissioningScenario

/// The commands worth trying on a loaded scenario, with ids from its landmarks.
struct DemoGuide {
    let landmarks: ScenarioLandmarks

    /// The commands to print, each with what it shows.
    var commands: [(command: String, shows: String)] {
        var commands = [(String, String)]()
        if let commissioner = landmarks.commissioner {
            commands.append(("ledgerctl query payments commissioner \(commissioner)", "what is due, paid and late"))
            commands.append(("ledgerctl query market commissioner \(commissioner)", "spend, SME share, HHI"))
            commands.append(("ledgerctl query audit exceptions \(commissioner)", "decisions an auditor would question"))
        }
        if let paidCase = landmarks.paidCase {
            commands.append(("ledgerctl history case \(paidCase)", "a case's decisions, need to payment"))
        }
        if let paidContract = landmarks.paidContract {
            commands.append(
                ("ledgerctl query payments contract \(paidContract) --csv", "one contract, for a spreadsheet")
            )
        }
        if let provider = landmarks.firstProvider {
            commands.append(("ledgerctl query quality provider \(provider)", "ratings and attainment"))
        }
        commands.append(("ledgerctl verify", "rehash the log and recompute its Merkle root"))
        return commands
    }
}
