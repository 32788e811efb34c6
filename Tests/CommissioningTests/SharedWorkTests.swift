import Commissioning
import LedgerJSON
import Testing

/// Consortium members sharing a contract's work by agreed shares, each passed its share of what the contract earned
/// less the integrator's fee. Every figure is computed by hand in the comments.
@Suite("Members sharing work")
struct SharedWorkTests {
    /// Consortium X1 (integrator P2, fee 10 %; members P2, P1 and P3) holding task-and-time contract K1 at 10,001 a
    /// unit, its work shared by `sharedBy`.
    static func ledger(sharedBy: JSONValue, quality: JSONValue? = nil) throws -> LedgerFixture {
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "Anytown Care Partnership", "integrator": "P2", "managementFeeBp": 1000,
                "members": [
                    ["provider": "P2", "shareBp": 4000], ["provider": "P1", "shareBp": 3000],
                    ["provider": "P3", "shareBp": 3000],
                ],
            ]
        )
        var payment: [String: JSONValue] = ["model": "task-and-time", "unitRatePence": 10_001]
        payment["quality"] = quality
        try ledger.contract("K1", payment: .object(payment), supplier: ["consortium": "X1", "sharedBy": sharedBy])
        return ledger
    }

    static func deliver(_ ledger: inout LedgerFixture, _ period: String) throws {
        try ledger.append("contract-K1", "service-delivered", ["period": .string(period), "units": 1])
    }

    @Test("each member other than the integrator is owed its share less the fee; the integrator keeps the rest")
    func sharesAndFees() throws {
        var ledger = try Self.ledger(sharedBy: [
            ["provider": "P2", "shareBp": 4000], ["provider": "P1", "shareBp": 6000],
        ])
        try Self.deliver(&ledger, "2026-10")
        // 10,001 earned. P1: 10,001 x 60 % = 6,000.6 -> 6,001; P2, the integrator listed first, the rest: 4,000.
        // P1's fee: 600.1 -> 600, so it is owed 5,401; the integrator keeps 4,000 + 600 = 4,600.
        let october = try ledger.period("K1", "2026-10")
        #expect(october["passThrough"] == nil)
        let passThroughs = try #require(october["passThroughs"]?.arrayValue)
        #expect(passThroughs.count == 1)
        #expect(passThroughs[0]["member"] == "P1")
        #expect(passThroughs[0].int("shareBp") == 6000)
        #expect(passThroughs[0].int("earnedPence") == 6001)
        #expect(passThroughs[0].int("feePence") == 600)
        #expect(passThroughs[0].int("duePence") == 5401)
        let audit = try ledger.projections.query(["audit", "contract", "K1"])
        #expect(
            audit.rows.contains {
                $0["what"] == "contract agreed with consortium-X1, task-and-time, work shared by P2, P1"
            }
        )
        let integrator = try ledger.projections.query(["payments", "provider", "P2"]).summary
        #expect(integrator.int("integratorKeeps") == 4600)
        let member = try ledger.projections.query(["payments", "provider", "P1"])
        #expect(member.rows.map { $0["tier"] } == ["member"])
        #expect(member.summary.int("asMember.due") == 5401)
    }

    @Test("two members: each its own payments, credits and lateness; a variation to one member brings passThrough back")
    func twoMembersThenOne() throws {
        var ledger = try Self.ledger(sharedBy: [
            ["provider": "P1", "shareBp": 5000], ["provider": "P3", "shareBp": 5000],
        ])
        try Self.deliver(&ledger, "2026-10")
        // 10,001: P3 5,000.5 -> 5,001 (fee 500.1 -> 500, owed 4,501); P1 the rest, 5,000 (fee 500, owed 4,500).
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 4500, "paidOn": "2026-11-20", "member": "P1"]
        )
        // A refund P3 makes to the integrator counts against P3's pass-through only.
        try ledger.append(
            "contract-K1",
            "credit-refunded",
            ["period": "2026-10", "amountPence": 1, "refundedOn": "2026-11-21", "member": "P3"]
        )
        try ledger.append(
            "contract-K1",
            "contract-varied",
            ["from": "2026-11", "deliveredBy": "P3", "reason": "P1 left the partnership"]
        )
        try Self.deliver(&ledger, "2026-11")
        ledger.today = "2027-01-15"
        try ledger.append("case-C1", "x-review-note", ["note": "checked"])
        let october = try ledger.period("K1", "2026-10")
        let members = try #require(october["passThroughs"]?.arrayValue)
        #expect(members.map { $0["member"] } == ["P1", "P3"])
        #expect(members.map { $0.int("duePence") } == [4500, 4501])
        #expect(members.map { $0.int("outstandingPence") } == [0, 4502])
        #expect(members.map { $0["late"] } == [false, true])
        // November: P3 alone, as before sharing: one passThrough object.
        let november = try ledger.period("K1", "2026-11")
        #expect(november["passThroughs"] == nil)
        #expect(november["passThrough"]?["member"] == "P3")
        #expect(november.int("passThrough.duePence") == 10_001 - 1000)
        let summary = try ledger.projections.query(["payments", "contract", "K1"]).summary
        #expect(summary.int("memberPassThrough.periods") == 3)
        #expect(summary.int("memberPassThrough.due") == 4500 + 4501 + 9001)
    }

    @Test("a reward for quality by rating reads the rating of the member doing the most of the work")
    func leadMemberRating() throws {
        var ledger = try Self.ledger(
            sharedBy: [["provider": "P1", "shareBp": 3000], ["provider": "P3", "shareBp": 7000]],
            quality: QualityPaymentTests.byRating
        )
        try QualityPaymentTests.rate(&ledger, "P3", "outstanding", from: "2026-10-01")
        try Self.deliver(&ledger, "2026-10")
        // P3 (70 %) is outstanding: 10,001 x 3 % = 300.03 -> 300.
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.quality") == 300)
        let line = try #require(october["lines"]?.arrayValue?.last)
        #expect(line["provider"] == "P3")
    }

    @Test("the market counts each member's share of the spend and that each did work")
    func market() throws {
        var ledger = try Self.ledger(sharedBy: [
            ["provider": "P1", "shareBp": 2500], ["provider": "P3", "shareBp": 7500],
        ])
        try Self.deliver(&ledger, "2026-10")
        // 10,001: P3 7,500.75 -> 7,501; P1 2,500. Nobody is without work but P2, the integrator (never listed).
        let market = try ledger.projections.query(["market", "commissioner", "LA1"]).summary
        var exposure = [String: Int]()
        for row in market["exposure"]?["byProvider"]?.arrayValue ?? [] {
            exposure[row["provider"]?.stringValue ?? "?"] = row.int("spendPence")
        }
        #expect(exposure == ["P1": 2500, "P3": 7501])
        #expect(market["membersWithoutWork"]?.arrayValue?.isEmpty == true)
    }

    @Test("the largest amounts shared among members clamp and never trap")
    func largestAmounts() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "Anytown Care Partnership", "integrator": "P2", "managementFeeBp": 10_000,
                "members": [["provider": "P2", "shareBp": 5000], ["provider": "P1", "shareBp": 5000]],
            ]
        )
        try ledger.contract(
            "K1",
            payment: ["model": "task-and-time", "unitRatePence": .number(JSONNumber(Int64.max))],
            supplier: [
                "consortium": "X1",
                "sharedBy": [["provider": "P1", "shareBp": 1], ["provider": "P3", "shareBp": 9999]],
            ]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1_000_000_000])
        try ledger.append(
            "contract-K1",
            "credit-offset",
            ["period": "2026-10", "against": "2026-11", "amountPence": .number(JSONNumber(Int64.max)), "member": "P3"]
        )
        for query in [
            ["payments", "contract", "K1"], ["payments", "provider", "P1"], ["payments", "provider", "P2"],
            ["payments", "provider", "P3"], ["market", "commissioner", "LA1"], ["quality", "provider", "P3"],
        ] {
            #expect(try !ledger.projections.query(query).summary.isNull, "\(query)")
        }
        #expect(try ledger.period("K1", "2026-10")["passThroughs"]?.arrayValue?.count == 2)
    }
}
