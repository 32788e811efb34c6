import Commissioning
import LedgerJSON
import Testing

/// Recoveries under caps, and credits (a period whose payee owes money back) settled by refunds and offsets at both
/// tiers. Every figure is computed by hand in the comments.
@Suite("Credits and their settlement")
struct CreditSettlementTests {
    /// Measures `outcomes` achieved in `period` on contract K1 and verifies each; returns the measurement ids.
    @discardableResult
    static func achieved(_ ledger: inout LedgerFixture, _ period: String, _ outcomes: [String]) throws -> [String] {
        var ids = [String]()
        for outcome in outcomes {
            let id = try ledger.append(
                "contract-K1",
                "outcome-measured",
                [
                    "period": .string(period), "outcome": .string(outcome), "attainment": "achieved",
                    "evidenceRef": .string("ev-\(outcome)"),
                ]
            )
            try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)])
            ids.append(id)
        }
        return ids
    }

    static func withdraw(_ ledger: inout LedgerFixture, _ measurement: String) throws {
        try ledger.append(
            "contract-K1",
            "outcome-verification-withdrawn",
            ["measurement": .string(measurement), "reason": "post-payment sample check failed"]
        )
    }

    /// Pays `pence` for `period` of K1: the commissioner to the holder, or the integrator to `member`.
    static func pay(
        _ ledger: inout LedgerFixture,
        _ period: String,
        _ pence: Int,
        on day: String,
        member: String? = nil
    ) throws {
        var data: [String: JSONValue] = [
            "period": .string(period), "amountPence": .number(JSONNumber(pence)), "paidOn": .string(day),
        ]
        data["member"] = member.map { .string($0) }
        try ledger.append("contract-K1", "payment-made", .object(data))
    }

    /// A ledger with consortium X1 (integrator P2, member P1) holding outcome-based contract K1 (outcome A at
    /// `tariffPence`), delivered by P1.
    static func consortiumContract(feeBp: Int, tariffPence: Int) throws -> LedgerFixture {
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "Anytown Care Partnership", "integrator": "P2",
                "members": [["provider": "P2", "shareBp": 4000], ["provider": "P1", "shareBp": 6000]],
                "managementFeeBp": .number(JSONNumber(feeBp)),
            ]
        )
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based",
                "tariff": [["outcome": "A", "amountPence": .number(JSONNumber(tariffPence))]],
            ],
            supplier: ["consortium": "X1", "deliveredBy": "P1"]
        )
        return ledger
    }

    @Test("a recovery takes back only what the capped line paid: caps fill line by line, in order")
    func recoveryUnderCap() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based",
                "tariff": [["outcome": "A", "amountPence": 30_000], ["outcome": "B", "amountPence": 12_000]],
                "caps": ["perPeriodPence": 35_000],
            ]
        )
        // October: A 30,000 + B 12,000 = 42,000, capped at 35,000 (7,000 withheld): A's line paid 30,000, B's 5,000.
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        let ids = try Self.achieved(&ledger, "2026-10", ["A", "B"])
        try Self.pay(&ledger, "2026-10", 35_000, on: "2026-11-20")
        try Self.withdraw(&ledger, ids[1])
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.outcome") == 35_000)
        #expect(october.int("withheldTotal") == 7000)
        let lineB = try #require(october["lines"]?.arrayValue?.first { $0["outcome"] == "B" })
        #expect(lineB["recoveredIn"] == "2026-11")
        #expect(lineB.int("recoveredPence") == 5000)
        // November recovers B's 5,000, not its 12,000 tariff: nothing else happened, so November is a 5,000 credit.
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.adjustments") == -5000)
        #expect(november.int("due.total") == -5000)
        #expect(november.int("outstanding") == -5000)
    }

    @Test("a credit is reported as such, never late, and settled by an offset and a refund")
    func firstTier() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: PaymentModelTests.blended)
        // October (DOMAIN.md's example, both outcomes achieved): core 150,000 + A 30,000 + B 20,000 = 200,000, paid.
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 40])
        let ids = try Self.achieved(&ledger, "2026-10", ["A", "B"])
        try Self.pay(&ledger, "2026-10", 200_000, on: "2026-11-21")
        // A's verification is withdrawn; November (a hospital stay: no delivery) recovers A's 30,000 and is in credit.
        try Self.withdraw(&ledger, ids[0])
        ledger.today = "2027-02-01"
        try ledger.append("case-C1", "x-review-note", ["note": "hospital stay through November"])
        var november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.total") == -30_000)
        #expect(november.int("outstanding") == -30_000)
        #expect(november["late"] == false)
        var totals = try #require(try ledger.projections.query(["payments", "contract", "K1"]).summary["totals"])
        #expect(totals.int("credit") == 30_000)
        #expect(totals.int("outstanding") == 0)
        #expect(totals.int("latePeriods") == 0)
        // 20,000 is offset against December, 10,000 refunded.
        try ledger.append(
            "contract-K1",
            "credit-offset",
            ["period": "2026-11", "against": "2026-12", "amountPence": 20_000]
        )
        try ledger.append(
            "contract-K1",
            "credit-refunded",
            ["period": "2026-11", "amountPence": 10_000, "refundedOn": "2026-12-15"]
        )
        // December: 200,000 earned, less the 20,000 offset: 180,000 due.
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-12", "units": 40])
        try Self.achieved(&ledger, "2026-12", ["A", "B"])
        november = try ledger.period("K1", "2026-11")
        // November: -30,000 recovered + 20,000 offset = -10,000 due; 10,000 refunded: nothing outstanding.
        #expect(november.int("due.adjustments") == -10_000)
        #expect(november.int("refunded") == 10_000)
        #expect(november.int("outstanding") == 0)
        let reasons = november["lines"]?.arrayValue?.compactMap { $0["reason"]?.stringValue }
        #expect(reasons == ["recovery", "offset"])
        let december = try ledger.period("K1", "2026-12")
        #expect(december.int("due.adjustments") == -20_000)
        #expect(december.int("due.total") == 180_000)
        #expect(december["lines"]?.arrayValue?.last?["offsets"] == "2026-11")
        totals = try #require(try ledger.projections.query(["payments", "contract", "K1"]).summary["totals"])
        // 200,000 + -10,000 + 180,000 = 370,000 due; 200,000 paid; 180,000 outstanding (December); no credit left.
        #expect(totals.int("due.total") == 370_000)
        #expect(totals.int("refunded") == 10_000)
        #expect(totals.int("credit") == 0)
        #expect(totals.int("outstanding") == 180_000)
        let audit = try ledger.projections.query(["audit", "contract", "K1"])
        #expect(audit.rows.contains { $0["what"] == "credit of 2026-11 refunded by contract holder on 2026-12-15" })
        #expect(audit.rows.contains { $0["what"] == "credit of 2026-11 offset against 2026-12 with contract holder" })
    }

    @Test("in a consortium each tier settles its own credit: the integrator's offset does not move the member's")
    func secondTier() throws {
        var ledger = try Self.consortiumContract(feeBp: 750, tariffPence: 20_000)
        // October: A earns 20,000; the fee is 1,500 (7.5 %), the member is owed 18,500; both tiers pay in full.
        let ids = try Self.achieved(&ledger, "2026-10", ["A"])
        try Self.pay(&ledger, "2026-10", 20_000, on: "2026-11-20")
        try Self.pay(&ledger, "2026-10", 18_500, on: "2026-11-25", member: "P1")
        // Withdrawn: November recovers 20,000 from the integrator, which recovers 18,500 from the member (the fee of
        // -20,000 is -1,500: the integrator gives back its fee).
        try Self.withdraw(&ledger, ids[0])
        // The integrator's credit is offset against December; the member refunds the integrator.
        try ledger.append(
            "contract-K1",
            "credit-offset",
            ["period": "2026-11", "against": "2026-12", "amountPence": 20_000]
        )
        try ledger.append(
            "contract-K1",
            "credit-refunded",
            ["period": "2026-11", "amountPence": 18_500, "refundedOn": "2026-12-05", "member": "P1"]
        )
        try Self.achieved(&ledger, "2026-12", ["A"])
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.total") == 0)
        #expect(november.int("outstanding") == 0)
        #expect(november.int("passThrough.earnedPence") == -20_000)
        #expect(november.int("passThrough.feePence") == -1500)
        #expect(november.int("passThrough.duePence") == -18_500)
        #expect(november.int("passThrough.refundedPence") == 18_500)
        #expect(november.int("passThrough.outstandingPence") == 0)
        // December: the commissioner owes 20,000 - 20,000 = 0; the member still earned its 20,000 less the fee.
        let december = try ledger.period("K1", "2026-12")
        #expect(december.int("due.total") == 0)
        #expect(december.int("passThrough.earnedPence") == 20_000)
        #expect(december.int("passThrough.duePence") == 18_500)
        #expect(december.int("passThrough.outstandingPence") == 18_500)
        let members = try #require(
            try ledger.projections.query(["payments", "contract", "K1"]).summary["memberPassThrough"]
        )
        // Member tier: 18,500 - 18,500 + 18,500 due; 18,500 paid, 18,500 refunded; 18,500 outstanding, no credit.
        #expect(members.int("due") == 18_500)
        #expect(members.int("refunded") == 18_500)
        #expect(members.int("outstanding") == 18_500)
        #expect(members.int("credit") == 0)
    }

    @Test("a member's credit offset against its later pass-through")
    func memberOffset() throws {
        var ledger = try Self.consortiumContract(feeBp: 1000, tariffPence: 10_001)
        // October: 10,001 earned; fee 1,000.1 -> 1,000; member owed 9,001, paid.
        let ids = try Self.achieved(&ledger, "2026-10", ["A"])
        try Self.pay(&ledger, "2026-10", 10_001, on: "2026-11-20")
        try Self.pay(&ledger, "2026-10", 9001, on: "2026-11-25", member: "P1")
        try Self.withdraw(&ledger, ids[0])
        // November: -10,001 earned; fee -1,000; member owes 9,001, offset against December's pass-through.
        try ledger.append(
            "contract-K1",
            "credit-offset",
            ["period": "2026-11", "against": "2026-12", "amountPence": 9001, "member": "P1"]
        )
        try Self.achieved(&ledger, "2026-12", ["A"])
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.total") == -10_001)
        #expect(november.int("passThrough.adjustmentsPence") == 9001)
        #expect(november.int("passThrough.duePence") == 0)
        let december = try ledger.period("K1", "2026-12")
        #expect(december.int("due.total") == 10_001)
        #expect(december.int("passThrough.adjustmentsPence") == -9001)
        #expect(december.int("passThrough.duePence") == 0)
    }

    @Test("a member's offset applies only between periods whose work it did; otherwise it changes nothing")
    func memberOffsetAcrossDeliverers() throws {
        var ledger = try Self.consortiumContract(feeBp: 0, tariffPence: 10_000)
        try ledger.append(
            "contract-K1",
            "contract-varied",
            ["from": "2026-12", "deliveredBy": "P2", "reason": "the integrator takes the work back"]
        )
        // November: P1 earns 10,000 and is paid 15,000 by the integrator: a member credit of 5,000.
        try Self.achieved(&ledger, "2026-11", ["A"])
        try Self.pay(&ledger, "2026-11", 15_000, on: "2026-12-10", member: "P1")
        // December's work is the integrator's: P1 has no pass-through there to net against.
        try Self.achieved(&ledger, "2026-12", ["A"])
        try ledger.append(
            "contract-K1",
            "credit-offset",
            ["period": "2026-11", "against": "2026-12", "amountPence": 5000, "member": "P1"]
        )
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("passThrough.adjustmentsPence") == 0)
        #expect(november.int("passThrough.outstandingPence") == -5000)
        let members = try ledger.projections.query(["payments", "contract", "K1"]).summary["memberPassThrough"]
        #expect(members?.int("credit") == 5000)
    }

    @Test("market answers for a month in credit, and tallies of the largest credits add and take away, without a trap")
    func marketInCredit() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: ["model": "task-and-time", "unitRatePence": 1000])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        for _ in 0..<2 {
            try ledger.append(
                "contract-K1",
                "credit-offset",
                ["period": "2026-10", "against": "2026-11", "amountPence": .number(JSONNumber(Int64.max))]
            )
        }
        // November owes the two offsets: clamped at the smallest amount, a credit; no share of negative spend.
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.total") == Int(Int64.min))
        let market = try ledger.projections.query(["market", "commissioner", "LA1", "2026-11"]).summary
        #expect(market["smeShareBp"] == .null)
        #expect(market["exposure"]?["byProvider"]?.arrayValue?.first?["spendShareBp"] == .null)
        let parts = try #require(ledger.projections.contractRows("K1")).market
        var tally = MarketTally()
        for part in parts { tally.add(part.tally) }
        for part in parts { tally.add(part.tally, sign: -1) }
    }
}
