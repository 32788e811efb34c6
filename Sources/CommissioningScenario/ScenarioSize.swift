/// How much a scenario generates.
public struct ScenarioSize: Sendable, Equatable {
    /// Commissioners (councils and NHS bodies).
    public var commissioners: Int
    /// Providers; about three quarters are SMEs.
    public var providers: Int
    /// Consortia, each with an integrator and 3-6 members.
    public var consortia: Int
    /// Cases, each through the whole life cycle (about 41 events each).
    public var cases: Int
    /// How many cases are in progress at once (their events interleave).
    public var concurrentCases: Int

    /// A size with the given counts.
    /// - Important: `commissioners` must be at least 1 and `providers` at least 8.
    public init(commissioners: Int, providers: Int, consortia: Int, cases: Int, concurrentCases: Int = 16) {
        precondition(commissioners >= 1 && providers >= 8, "a scenario needs a commissioner and 8 providers")
        self.commissioners = commissioners
        self.providers = providers
        self.consortia = consortia
        self.cases = cases
        self.concurrentCases = max(1, concurrentCases)
    }

    /// A few hundred events: 2 commissioners, 12 providers, 2 consortia, 8 cases.
    public static let tiny = ScenarioSize(commissioners: 2, providers: 12, consortia: 2, cases: 8, concurrentCases: 3)
    /// About 80,000 events: 5 commissioners, 300 providers, 12 consortia, 2,000 cases.
    public static let standard = ScenarioSize(commissioners: 5, providers: 300, consortia: 12, cases: 2000)

    /// Enough cases for roughly `events` events, with 6 commissioners, and 400 providers and 16 consortia up to a
    /// million events; above that the market grows with the log (4,000 providers and 160 consortia at ten million),
    /// so that a provider's share of the work stays what it is at a million while each commissioner's grows.
    public static func approximately(events: Int) -> ScenarioSize {
        let millions = max(1, Double(events) / 1_000_000)
        return ScenarioSize(
            commissioners: 6,
            providers: Int(400 * millions),
            consortia: Int(16 * millions),
            cases: max(1, events / 41)
        )
    }
}
