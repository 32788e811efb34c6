import LedgerJSON

/// The standing entities of a scenario: commissioners, providers (mostly SMEs) and consortia.
struct Population {
    struct Consortium {
        var id: String
        var integrator: String
        var members: [String]
        var feeBp: Int
    }

    var commissioners: [String] = []
    var providers: [String] = []
    /// Each provider's scale, as registered (the scenario never changes it).
    var scales: [String: String] = [:]
    /// The providers registered as voluntary or community organisations.
    var voluntary: Set<String> = []
    /// Each provider's rating, as registered.
    var ratings: [String: String] = [:]
    /// The providers whose rating never changes (every third): only these are paid a reward for quality by rating,
    /// so the scenario reckons it from the registered rating.
    var steady: Set<String> = []
    /// The others, whose rating may change at any time.
    var rerated: [String] = []
    var consortia: [Consortium] = []
    /// The registration events, in the order they must be appended.
    var events: [ScriptedEvent] = []

    init(size: ScenarioSize, random: inout ScenarioRandom) {
        for number in 1...size.commissioners {
            let nhs = number % 3 == 0
            let id = (nhs ? "ICB" : "LA") + String(number)
            commissioners.append(id)
            events.append(
                ScriptedEvent(
                    stream: "commissioner-\(id)",
                    type: "commissioner-registered",
                    data: [
                        "name": .string(nhs ? "Integrated Care Board \(number)" : "Borough Council \(number)"),
                        "kind": .string(nhs ? "nhs-body" : "local-authority"),
                    ],
                    actor: "registrar:\(id)"
                )
            )
        }
        var large = [String]()
        for number in 1...size.providers {
            let id = "P" + Self.padded(number, 4)
            let scale = random.weighted([("micro", 25), ("small", 30), ("medium", 20), ("large", 25)])
            let regulator = random.weighted([("cqc", 85), ("ofsted", 10), ("none", 5)])
            let rating =
                regulator == "none"
                ? "not-rated"
                : random.weighted([("outstanding", 10), ("good", 65), ("requires-improvement", 20), ("inadequate", 5)])
            providers.append(id)
            scales[id] = scale
            ratings[id] = rating
            if number % 3 == 0 { steady.insert(id) } else { rerated.append(id) }
            let isVoluntary = random.chance(15)
            if isVoluntary { voluntary.insert(id) }
            if scale == "large" || scale == "medium" { large.append(id) }
            events.append(
                ScriptedEvent(
                    stream: "provider-\(id)",
                    type: "provider-registered",
                    data: [
                        "name": .string("Provider \(id) Ltd"), "scale": .string(scale),
                        "voluntary": .bool(isVoluntary), "regulator": .string(regulator),
                        "rating": .string(rating),
                    ],
                    actor: "registrar:market"
                )
            )
        }
        if large.isEmpty { large = [providers[0]] }
        for number in 0..<size.consortia {
            let id = "X" + Self.padded(number + 1, 2)
            let integrator = random.pick(large)
            var members = [integrator]
            while members.count < random.int(3...6) {
                let member = random.pick(providers)
                if !members.contains(member) { members.append(member) }
            }
            let shares = Self.split(10_000, into: members.count)
            let consortium = Consortium(
                id: id,
                integrator: integrator,
                members: members,
                feeBp: random.pick([500, 750, 1000])
            )
            consortia.append(consortium)
            events.append(
                ScriptedEvent(
                    stream: "consortium-\(id)",
                    type: "consortium-registered",
                    data: [
                        "name": .string("Care Partnership \(id)"), "integrator": .string(integrator),
                        "managementFeeBp": .number(JSONNumber(consortium.feeBp)),
                        "members": .array(
                            zip(members, shares).map { ["provider": .string($0), "shareBp": .number(JSONNumber($1))] }
                        ),
                    ],
                    actor: "registrar:market"
                )
            )
        }
    }

    /// `total` split into `parts` integers summing to it, the first taking the remainder.
    static func split(_ total: Int, into parts: Int) -> [Int] {
        let share = total / parts
        return [total - share * (parts - 1)] + Array(repeating: share, count: parts - 1)
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
