import CommissioningScenario
import Testing

@Suite("Scenario landmarks and sizes")
struct ScenarioLandmarksTests {
    @Test("landmarks picked as the events go by are the ones a look over all of them finds")
    func landmarks() throws {
        let proposed = ScenarioTests.fixture.proposed
        var landmarks = ScenarioLandmarks()
        for event in proposed { landmarks.observe(event) }

        let spot = try #require(proposed.first { $0.data["route"]?.stringValue == "spot-purchase" })
        #expect(landmarks.commissioner == spot.data["commissioner"]?.stringValue)
        #expect(landmarks.firstProvider == "P0001")
        let payment = try #require(proposed.first { $0.type == "payment-made" })
        #expect(landmarks.paidContract.map { "contract-" + $0 } == payment.stream)
        #expect(landmarks.paidPeriod == payment.data["period"]?.stringValue)
        let agreement = try #require(proposed.first { $0.type == "contract-agreed" && $0.stream == payment.stream })
        #expect(landmarks.paidRequirement == agreement.data["requirement"]?.stringValue)
        let requirement = try #require(
            proposed.first {
                $0.type == "requirement-published" && $0.stream.hasSuffix("-" + (landmarks.paidRequirement ?? ""))
            }
        )
        #expect(landmarks.paidCase == requirement.data["case"]?.stringValue)

        var contracts = [String: Int]()
        var providers = [String: [String]]()
        var periods = [String: Int]()
        var providerPeriods = [String: Int]()
        for event in proposed where event.type == "contract-agreed" {
            let named = ["provider", "deliveredBy"].compactMap { event.data[$0]?.stringValue }
            providers[event.stream] = named
            for provider in named { contracts[provider, default: 0] += 1 }
        }
        let busiest = try #require(contracts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        #expect(landmarks.busiestProvider == busiest)
        for event in proposed where event.type == "payment-made" {
            let period = try #require(event.data["period"]?.stringValue)
            periods[period, default: 0] += 1
            if providers[event.stream]?.contains(busiest) == true { providerPeriods[period, default: 0] += 1 }
        }
        #expect(landmarks.busiestPeriod == periods.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        #expect(landmarks.busiestProviderPeriod == providerPeriods.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
    }

    @Test("the sizes for an event count keep the market of a million up to a million, and grow it beyond")
    func approximateSizes() {
        for events in [2000, 100_000, 1_000_000] {
            let size = ScenarioSize.approximately(events: events)
            #expect(size == ScenarioSize(commissioners: 6, providers: 400, consortia: 16, cases: events / 41))
        }
        let large = ScenarioSize.approximately(events: 10_000_000)
        #expect(large == ScenarioSize(commissioners: 6, providers: 4000, consortia: 160, cases: 243_902))
    }
}
