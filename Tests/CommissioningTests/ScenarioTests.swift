import Commissioning
import CommissioningScenario
import LedgerJSON
import Testing

@Suite("Scenario generator")
struct ScenarioTests {
    static let size = ScenarioSize(commissioners: 4, providers: 120, consortia: 6, cases: 400)
    /// Generated once and shared by the tests that only read it.
    static let fixture = ScenarioFixture(seed: 7, size: size)

    @Test("every event validates, creates its stream first, and references only streams created earlier")
    func valid() throws {
        let fixture = Self.fixture
        var existing = Set<String>()
        var ids = Set<String>()
        for event in fixture.proposed {
            let requirements = try Catalogue.validate(
                stream: event.stream,
                type: event.type,
                data: event.data,
                meta: event.meta
            )
            if requirements.createsEntity {
                #expect(!existing.contains(event.stream), "\(event.stream) created twice")
                existing.insert(event.stream)
            }
            for reference in requirements.referencedStreams {
                #expect(
                    existing.contains(reference),
                    "\(event.type) on \(event.stream) references missing \(reference)"
                )
            }
            #expect(ids.insert(event.id).inserted, "repeated id")
        }
        #expect(fixture.proposed.count > 10_000)
    }

    @Test("ids are lowercase UUIDv7 text from a synthetic clock that never goes backwards")
    func ids() {
        let fixture = ScenarioFixture(seed: 3, size: .tiny)
        var previous: UInt64 = 0
        for event in fixture.proposed {
            let bytes = Array(event.id.utf8)
            #expect(bytes.count == 36)
            #expect(bytes[14] == UInt8(ascii: "7"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            #expect(event.id == event.id.lowercased())
            let hex = event.id.replacingOccurrences(of: "-", with: "").prefix(12)
            #expect(UInt64(hex, radix: 16) == event.milliseconds)
            #expect(event.milliseconds > previous)
            previous = event.milliseconds
        }
    }

    @Test("the same seed gives the same events; another seed gives others")
    func deterministic() {
        let first = ScenarioFixture(seed: 11, size: .tiny).proposed
        let again = ScenarioFixture(seed: 11, size: .tiny).proposed
        let other = ScenarioFixture(seed: 12, size: .tiny).proposed
        #expect(first.map(\.id) == again.map(\.id))
        #expect(first.map(\.data) == again.map(\.data))
        #expect(first.map(\.id) != other.map(\.id))
    }

    @Test("the scenario covers the whole life cycle, including the awkward parts")
    func coverage() {
        let fixture = Self.fixture
        let types = Set(fixture.proposed.map(\.type))
        for type in [
            "commissioner-registered", "provider-registered", "provider-rating-changed", "consortium-registered",
            "need-assessed", "requirement-published", "offer-submitted", "offers-evaluated", "provider-selected",
            "contract-agreed", "contract-varied", "contract-ended", "contract-transferred", "service-delivered",
            "outcome-measured",
            "outcome-verified", "outcome-rejected", "outcome-verification-withdrawn", "payment-approved",
            "payment-made", "credit-refunded", "credit-offset", "quality-assessed", "population-outcome-measured",
            "correction",
        ] {
            #expect(types.contains(type), "no \(type)")
        }
        let rewards = fixture.proposed.compactMap {
            $0.type == "contract-agreed" ? $0.data["payment"]?["quality"] : nil
        }
        #expect(rewards.contains { $0["ratings"] != nil } && rewards.contains { $0["scores"] != nil })
        // A handover's month pays the holder before the transfer by name, and recovers what it was paid.
        #expect(fixture.proposed.contains { $0.type == "payment-made" && $0.data["provider"] != nil })
        // A pooled contract's partner pays its own share.
        #expect(fixture.proposed.contains { $0.type == "payment-made" && $0.data["payer"] != nil })
        // Consortium members share a contract's work.
        #expect(fixture.proposed.contains { $0.type == "contract-agreed" && $0.data["sharedBy"] != nil })
        let totals = fixture.reckoning.commissioners.values
        #expect(totals.reduce(0) { $0 + $1.spotPurchases } > 0)
        #expect(totals.reduce(0) { $0 + $1.topRankedLost } > 0)
        #expect(totals.reduce(0) { $0 + $1.memberDuePence } > 0)
        #expect(totals.reduce(0) { $0 + $1.refundedPence } > 0)
        #expect(totals.reduce(0) { $0 + $1.creditPence } > 0)
        #expect(totals.reduce(0) { $0 + $1.vcseDuePence } > 0)
        #expect(totals.contains { $0.access["voluntary"] != nil })
    }

    /// `part` of `whole` in basis points, rounded half-up (nil of nothing), as the reckoning computes it.
    static func rate(_ part: Int64, of whole: Int64) -> Int? {
        whole == 0 ? nil : Int((part * 10_000 + whole / 2) / whole)
    }

    @Test("query answers equal the generator's independent reckoning, per commissioner")
    func reckoning() throws {
        let fixture = Self.fixture
        let projections = fixture.projections()
        #expect(fixture.reckoning.commissioners.count == 4)
        for (commissioner, expected) in fixture.reckoning.commissioners {
            let payments = try projections.query(["payments", "commissioner", commissioner]).summary
            #expect(payments.int("totals.due.total") == Int(expected.duePence), "\(commissioner) due")
            #expect(payments.int("totals.paid") == Int(expected.paidPence), "\(commissioner) paid")
            #expect(payments.int("memberPassThrough.due") == Int(expected.memberDuePence), "\(commissioner) member due")
            #expect(
                payments.int("memberPassThrough.paid") == Int(expected.memberPaidPence),
                "\(commissioner) member paid"
            )
            #expect(payments.int("totals.refunded") == Int(expected.refundedPence), "\(commissioner) refunded")
            #expect(payments.int("totals.credit") == Int(expected.creditPence), "\(commissioner) credit")
            #expect(
                payments.int("memberPassThrough.refunded") == Int(expected.memberRefundedPence),
                "\(commissioner) member refunded"
            )
            #expect(
                payments.int("memberPassThrough.credit") == Int(expected.memberCreditPence),
                "\(commissioner) member credit"
            )
            let market = try projections.query(["market", "commissioner", commissioner]).summary
            #expect(market.int("requirements") == expected.requirements)
            #expect(market.int("routes.spot-purchase") ?? 0 == expected.spotPurchases)
            #expect(market.int("routes.direct-award") ?? 0 == expected.directAwards)
            #expect(market.int("topRankedLost.count") == expected.topRankedLost)
            #expect(market.int("spendPence") == Int(expected.duePence))
            #expect(market.int("vcseShareBp") == Self.rate(expected.vcseDuePence, of: expected.duePence))
            for (size, access) in expected.access {
                let figures = ["invited", "responded", "selected"].map { market["access"]?["bySize"]?[size]?.int($0) }
                #expect(figures == [access.invited, access.responded, access.selected], "\(commissioner) \(size)")
            }
            #expect(market["access"]?["bySize"]?.objectValue?.count == expected.access.count)
            var exposure = [String: Int64]()
            for row in market["exposure"]?["byProvider"]?.arrayValue ?? [] {
                exposure[row["provider"]?.stringValue ?? "?"] = row["spendPence"]?.int64Value
            }
            let largest = expected.dueByDoer.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            #expect(exposure == Dictionary(uniqueKeysWithValues: largest.prefix(25).map { ($0.key, $0.value) }))
            #expect(market["exposure"]?.int("providers") == expected.dueByDoer.count, "\(commissioner) exposure")
            let hhi = try #require(market.int("hhi"))
            #expect((0...10_000).contains(hhi))
        }
    }
}
