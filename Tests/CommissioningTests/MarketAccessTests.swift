import Commissioning
import LedgerJSON
import Testing

/// Market access: the voluntary and community sector's share of spend, and how invitations to providers of each size
/// were answered and won. Every figure is counted by hand in the comments.
@Suite("Market access")
struct MarketAccessTests {
    /// Submits offer `offer` from `provider` on `requirement`, for `pence`.
    static func offer(_ ledger: inout LedgerFixture, _ requirement: String, _ offer: String, _ provider: String) throws
    {
        try ledger.append(
            "requirement-\(requirement)",
            "offer-submitted",
            ["offerId": .string(offer), "provider": .string(provider), "pricePence": 100_000, "outcomes": ["A"]]
        )
    }

    /// Selects `offer` on `requirement` for its capability.
    static func select(_ ledger: inout LedgerFixture, _ requirement: String, _ offer: String) throws {
        try ledger.append(
            "requirement-\(requirement)",
            "provider-selected",
            [
                "offerId": .string(offer), "decidedBy": "panel:brokerage", "basis": "capability",
                "rationale": "best meets the outcomes",
            ]
        )
    }

    @Test(
        "VCSE share of spend, exposure to each provider, and invitations answered and won by size, at the scale when sent"
    )
    func access() throws {
        // R1 (from the fixture) invites P1 (small), P2 (large) and P3 (micro).
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "provider-P4",
            "provider-registered",
            ["name": "Riverside Trust", "scale": "medium", "voluntary": true, "regulator": "cqc", "rating": "good"]
        )
        try Self.offer(&ledger, "R1", "O1", "P1")
        try Self.offer(&ledger, "R1", "O2", "P2")
        try Self.select(&ledger, "R1", "O1")
        try ledger.contract("K1", payment: ["model": "task-and-time", "unitRatePence": 1000])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 10])
        // P3 grows to small before R2 invites it and P4 (voluntary, medium); P4 wins R2.
        try ledger.append("provider-P3", "provider-scale-changed", ["scale": "small", "effective": "2026-10-01"])
        try ledger.append(
            "requirement-R2",
            "requirement-published",
            [
                "case": "C1", "commissioner": "LA1", "outcomes": [["id": "A", "measure": "independent living"]],
                "preferences": ["near family"], "route": "mini-competition", "invited": ["P3", "P4"],
            ]
        )
        try Self.offer(&ledger, "R2", "O1", "P4")
        try Self.select(&ledger, "R2", "O1")
        try ledger.append(
            "contract-K2",
            "contract-agreed",
            [
                "requirement": "R2", "commissioner": "LA1", "provider": "P4", "start": "2026-10-01",
                "payment": ["model": "task-and-time", "unitRatePence": 2000],
            ]
        )
        try ledger.append("contract-K2", "service-delivered", ["period": "2026-10", "units": 5])

        let summary = try ledger.projections.query(["market", "commissioner", "LA1"]).summary
        // Spend: K1 2 x 10 x 1,000 + K2 5 x 2,000 = 30,000; all of it SME, K2's 10,000 (a third) voluntary.
        #expect(summary.int("spendPence") == 30_000)
        #expect(summary.int("smeShareBp") == 10_000)
        #expect(summary.int("vcseShareBp") == 3333)
        let bySize = try #require(summary["access"]?["bySize"])
        func figures(_ size: String) -> [Int?] {
            ["invited", "responded", "selected", "responseRateBp", "selectionRateBp"].map { bySize[size]?.int($0) }
        }
        // micro: P3 on R1 (no offer). small: P1 on R1 (offered, won) and P3 on R2 (no offer): 1 of 2 each.
        #expect(figures("micro") == [1, 0, 0, 0, 0])
        #expect(figures("small") == [2, 1, 1, 5000, 5000])
        // large: P2 offered on R1 and lost. medium and voluntary: P4 offered on R2 and won.
        #expect(figures("large") == [1, 1, 0, 10_000, 0])
        #expect(figures("medium") == [1, 1, 1, 10_000, 10_000])
        #expect(figures("voluntary") == [1, 1, 1, 10_000, 10_000])
        // Exposure: P1 does 20,000 of 30,000 over 2 of the 3 person-months; P4 10,000 over 1.
        let exposure = try #require(summary["exposure"])
        #expect(
            exposure["byProvider"]?.arrayValue?.map(\.canonicalString) == [
                #"{"personMonths":2,"personMonthsShareBp":6667,"provider":"P1","spendPence":20000,"spendShareBp":6667}"#,
                #"{"personMonths":1,"personMonthsShareBp":3333,"provider":"P4","spendPence":10000,"spendShareBp":3333}"#,
            ]
        )
        #expect(exposure.int("providers") == 2)
        #expect(exposure.int("largestSpendShareBp") == 6667)
        #expect(exposure.int("largestPersonMonthsShareBp") == 6667)
        let never = summary["access"]?["neverSelected"]?.arrayValue?.map(\.canonicalString)
        #expect(
            never == [
                #"{"invited":2,"provider":"P3","responded":0,"scale":"small","voluntary":false}"#,
                #"{"invited":1,"provider":"P2","responded":1,"scale":"large","voluntary":false}"#,
            ]
        )
        #expect(summary["access"]?.int("neverSelectedCount") == 2)
    }
}
