import Commissioning
import LedgerJSON
import Testing

/// The reward for quality: a fee uplift or reduction by the working provider's rating or by the period's quality
/// score, shown as its own line. Every figure is computed by hand in the comments.
@Suite("Reward for quality")
struct QualityPaymentTests {
    static let byRating: JSONValue = [
        "ratings": [
            ["rating": "outstanding", "upliftBp": 300], ["rating": "requires-improvement", "reductionBp": 500],
            ["rating": "inadequate", "reductionBp": 1000],
        ]
    ]

    static func deliver(_ ledger: inout LedgerFixture, _ period: String, units: Int = 10) throws {
        try ledger.append(
            "contract-K1",
            "service-delivered",
            ["period": .string(period), "units": .number(JSONNumber(units))]
        )
    }

    static func rate(_ ledger: inout LedgerFixture, _ provider: String, _ rating: String, from day: String) throws {
        try ledger.append(
            "provider-\(provider)",
            "provider-rating-changed",
            ["regulator": "cqc", "rating": .string(rating), "effective": .string(day)]
        )
    }

    @Test("by rating: the rating in effect on the period's last day uplifts or reduces the fee, rounded half-up")
    func rating() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: ["model": "task-and-time", "unitRatePence": 1999, "quality": Self.byRating]
        )
        for period in ["2026-10", "2026-11", "2026-12"] { try Self.deliver(&ledger, period) }
        // P1 is registered good (no band); outstanding from 15 November; requires improvement from 31 December; and
        // inadequate from 1 January, after the periods.
        try Self.rate(&ledger, "P1", "outstanding", from: "2026-11-15")
        try Self.rate(&ledger, "P1", "requires-improvement", from: "2026-12-31")
        try Self.rate(&ledger, "P1", "inadequate", from: "2027-01-01")
        // October: 10 x 1,999 = 19,990, good: no adjustment and no line.
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.quality") == 0)
        #expect(october["lines"]?.arrayValue?.count == 1)
        // November: outstanding, +3 %: 599.7 -> 600; due 20,590.
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.quality") == 600)
        #expect(november.int("due.total") == 20_590)
        #expect(
            november["lines"]?.arrayValue?.last?.canonicalString
                == #"{"adjustmentBp":300,"amountPence":600,"basis":"rating","component":"quality","feePence":19990,"provider":"P1","rating":"outstanding"}"#
        )
        // December: requires improvement, -5 %: -999.5 -> -1,000 (half-up on the magnitude); due 18,990.
        let december = try ledger.period("K1", "2026-12")
        #expect(december.int("due.quality") == -1000)
        #expect(december.int("due.total") == 18_990)
        let totals = try ledger.projections.query(["payments", "contract", "K1"]).summary["totals"]
        #expect(totals?.int("due.quality") == -400)
    }

    @Test("by score: the period's latest score picks the band, applied to the core, never to outcome payments")
    func score() throws {
        var ledger = try LedgerFixture.standard()
        var payment = PaymentModelTests.blended.objectValue ?? [:]
        payment["quality"] = ["scores": [["from": 0, "reductionBp": 500], ["from": 8000, "upliftBp": 250]]]
        try ledger.contract("K1", payment: .object(payment))
        func assess(_ period: String, _ score: Int) throws {
            try ledger.append(
                "contract-K1",
                "quality-assessed",
                ["period": .string(period), "score": .number(JSONNumber(score)), "evidenceRef": "visit-1"]
            )
        }
        // October: core 150,000, scored 8,200: +2.5 % = 3,750; A achieved and verified: 30,000. Due 183,750.
        try Self.deliver(&ledger, "2026-10")
        try CreditSettlementTests.achieved(&ledger, "2026-10", ["A"])
        try assess("2026-10", 8200)
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.quality") == 3750)
        #expect(october.int("due.total") == 183_750)
        // November: scored 8,000, then 7,999 (the later stands): -5 % of 150,000 = -7,500.
        try Self.deliver(&ledger, "2026-11")
        try assess("2026-11", 8000)
        try assess("2026-11", 7999)
        #expect(try ledger.period("K1", "2026-11").int("due.quality") == -7500)
        // December: not scored, so no adjustment.
        try Self.deliver(&ledger, "2026-12")
        #expect(try ledger.period("K1", "2026-12").int("due.quality") == 0)
    }

    @Test("in a consortium the rating is the working member's, and follows a change of deliverer")
    func consortium() throws {
        var ledger = try CreditSettlementTests.consortiumContract(feeBp: 1000, tariffPence: 1)
        try ledger.append(
            "contract-K2",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "consortium": "X1", "deliveredBy": "P1",
                "start": "2026-10-01",
                "payment": ["model": "task-and-time", "unitRatePence": 1000, "quality": Self.byRating],
            ]
        )
        try Self.rate(&ledger, "P1", "inadequate", from: "2026-09-01")
        for period in ["2026-10", "2026-11"] {
            try ledger.append("contract-K2", "service-delivered", ["period": .string(period), "units": 10])
        }
        try ledger.append(
            "contract-K2",
            "contract-varied",
            ["from": "2026-11", "deliveredBy": "P2", "reason": "handover"]
        )
        // October, P1 inadequate: 10,000 - 10 % = 9,000; the member earns it, less the 10 % fee: 8,100.
        let october = try ledger.period("K2", "2026-10")
        #expect(october.int("due.total") == 9000)
        #expect(october.int("passThrough.duePence") == 8100)
        // November, P2 (the integrator, good): 10,000, no adjustment.
        #expect(try ledger.period("K2", "2026-11").int("due.total") == 10_000)
    }
}
