import Commissioning
import LedgerJSON
import Testing

/// Pooled budgets (section 75): partners sharing every amount of a contract by agreed shares, each paying its own.
/// Every figure is computed by hand in the comments.
@Suite("Pooled budgets")
struct PooledBudgetTests {
    /// The standard ledger with NHS body ICB1 registered beside LA1.
    static func ledger() throws -> LedgerFixture {
        var ledger = try LedgerFixture.standard()
        try ledger.append("commissioner-ICB1", "commissioner-registered", ["name": "Anytown ICB", "kind": "nhs-body"])
        return ledger
    }

    static let pool: JSONValue = [
        ["commissioner": "ICB1", "shareBp": 3000], ["commissioner": "LA1", "shareBp": 7000],
    ]

    /// The share of `commissioner` in a row's `payers`.
    static func share(_ row: JSONValue, _ commissioner: String) throws -> JSONValue {
        try #require(row["payers"]?.arrayValue?.first { $0["commissioner"]?.stringValue == commissioner })
    }

    @Test("a pool names the host, another partner, no partner twice, and shares summing to 10000")
    func validation() throws {
        let refused: [(JSONValue, String)] = [
            ([["commissioner": "ICB1", "shareBp": 10_000]], "data.pool"),
            ([["commissioner": "LA1", "shareBp": 10_000]], "data.pool"),
            (
                [["commissioner": "LA1", "shareBp": 5000], ["commissioner": "LA1", "shareBp": 5000]],
                "data.pool[1].commissioner"
            ),
            ([["commissioner": "LA1", "shareBp": 5000], ["commissioner": "ICB1", "shareBp": 4000]], "data.pool"),
            (
                [["commissioner": "LA1", "shareBp": 10_000], ["commissioner": "ICB1", "shareBp": 0]],
                "data.pool[1].shareBp"
            ),
        ]
        for (pool, field) in refused {
            let data: JSONValue = [
                "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
                "payment": ["model": "task-and-time", "unitRatePence": 1000], "pool": pool,
            ]
            do {
                _ = try Catalogue.validate(
                    stream: "contract-K1",
                    type: "contract-agreed",
                    data: data,
                    meta: [:] as JSONValue
                )
                Issue.record("\(pool) was accepted")
            } catch {
                #expect("\(error)".contains(field), "\(pool): \(error)")
            }
        }
    }

    @Test("every amount is shared by shareBp, the host taking the rest; each partner's payments are its own")
    func sharesAndPayments() throws {
        var pooled = try Self.ledger()
        try pooled.append(
            "contract-K1",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
                "payment": [
                    "model": "outcome-based", "corePence": 10_001, "tariff": [["outcome": "A", "amountPence": 5005]],
                ],
                "pool": Self.pool,
            ]
        )
        // October: core 10,001 with delivery; A achieved and verified, 5,005. ICB1 (30 %): 3,000.3, rounded to 3,000,
        // and 1,501.5, rounded to 1,502: 4,502. LA1, the host (listed second, shared first): 7,001 + 3,503 = 10,504.
        try pooled.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        let ids = try CreditSettlementTests.achieved(&pooled, "2026-10", ["A"])
        // LA1 pays its share; ICB1 pays 4,000 of its 4,502 late.
        try pooled.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 10_504, "paidOn": "2026-11-20"]
        )
        try pooled.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 4000, "paidOn": "2026-12-20", "payer": "ICB1"]
        )
        var october = try pooled.period("K1", "2026-10")
        #expect(october["payers"]?.arrayValue?.map { $0["commissioner"] } == ["LA1", "ICB1"])
        let host = try Self.share(october, "LA1")
        #expect(host.int("due.core") == 7001)
        #expect(host.int("due.outcome") == 3503)
        #expect(host.int("outstanding") == 0)
        #expect(host["paidOn"] == "2026-11-20")
        var partner = try Self.share(october, "ICB1")
        #expect(partner.int("due.total") == 4502)
        #expect(partner.int("outstanding") == 502)
        #expect(partner["paidOn"] == .null)
        // A's verification is withdrawn: November recovers 5,005, shared 1,501.5 -> -1,502 and -3,503.
        try CreditSettlementTests.withdraw(&pooled, ids[0])
        try pooled.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 1])
        let november = try pooled.period("K1", "2026-11")
        #expect(try Self.share(november, "ICB1").int("due.adjustments") == -1502)
        #expect(try Self.share(november, "LA1").int("due.adjustments") == -3503)
        // ICB1's payments answer counts its share; `pooled` the whole. LA1's counts its own.
        pooled.today = "2027-01-15"
        try pooled.append("case-C1", "x-review-note", ["note": "checked"])
        let icb = try pooled.projections.query(["payments", "commissioner", "ICB1"])
        #expect(icb.rows.count == 2)
        // ICB1: October 4,502 + November 3,000 - 1,502 = 6,000; paid 4,000; October late (paid after 30 November),
        // November overdue (due 30 December, unpaid on 15 January).
        #expect(icb.summary.int("totals.due.total") == 6000)
        #expect(icb.summary.int("totals.paid") == 4000)
        #expect(icb.summary.int("totals.latePeriods") == 2)
        #expect(icb.summary.int("pooled.due.total") == 15_006 + 10_001 - 5005)
        let sentences = try pooled.projections.query(["audit", "contract", "K1"]).rows.compactMap {
            $0["what"]?.stringValue
        }
        #expect(sentences.contains("contract agreed with provider-P1, outcome-based, pooled with ICB1"))
        #expect(sentences.contains("paid by commissioner-ICB1 to contract holder for 2026-10 on 2026-12-20"))
        let la = try pooled.projections.query(["payments", "commissioner", "LA1"])
        #expect(la.summary.int("totals.due.total") == 10_504 + 7001 - 3503)
        // A payer outside the pool has a share of nothing but what it paid: a credit.
        try pooled.append(
            "commissioner-LA2",
            "commissioner-registered",
            ["name": "Otherton", "kind": "local-authority"]
        )
        try pooled.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 502, "paidOn": "2027-01-15", "payer": "LA2"]
        )
        october = try pooled.period("K1", "2026-10")
        partner = try Self.share(october, "LA2")
        #expect(partner.int("shareBp") == 0)
        #expect(partner.int("outstanding") == -502)
    }

    @Test("each partner's market counts its share of each holder's spend")
    func marketShares() throws {
        var ledger = try Self.ledger()
        try ledger.append(
            "contract-K1",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
                "payment": ["model": "task-and-time", "unitRatePence": 1000], "pool": Self.pool,
            ]
        )
        // December (31 days): P2 holds it from the 11th. 10,000 due: P2 10,000 x 21 / 31 = 6,774.2 -> 6,774, P1 3,226.
        try HandoverTests.transfer(&ledger, "K1", to: "P2", on: "2026-12-11")
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-12", "units": 10])
        // ICB1's 30 %: 3,000 in all; of P1's 3,226, 967.8 -> 968; of P2's 6,774, 2,032.2 -> 2,032.
        let icb = try ledger.projections.query(["market", "commissioner", "ICB1"]).summary
        #expect(icb.int("spendPence") == 3000)
        var exposure = [String: Int]()
        for row in icb["exposure"]?["byProvider"]?.arrayValue ?? [] {
            exposure[row["provider"]?.stringValue ?? "?"] = row.int("spendPence")
        }
        #expect(exposure == ["P1": 968, "P2": 2032])
        // LA1's 70 %: 7,000; P1 3,226 - 968 = 2,258, P2 6,774 - 2,032 = 4,742.
        let la = try ledger.projections.query(["market", "commissioner", "LA1"]).summary
        #expect(la.int("spendPence") == 7000)
        exposure = [:]
        for row in la["exposure"]?["byProvider"]?.arrayValue ?? [] {
            exposure[row["provider"]?.stringValue ?? "?"] = row.int("spendPence")
        }
        #expect(exposure == ["P1": 2258, "P2": 4742])
    }

    @Test("the largest amounts, shared by a pool, holders and a recovery at once, clamp and never trap")
    func largestAmounts() throws {
        var ledger = try Self.ledger()
        let most = JSONValue.number(JSONNumber(Int64.max))
        try ledger.append(
            "contract-K1",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
                "payment": [
                    "model": "outcome-based", "corePence": most, "tariff": [["outcome": "A", "amountPence": most]],
                ],
                "pool": [["commissioner": "LA1", "shareBp": 1], ["commissioner": "ICB1", "shareBp": 9999]],
            ]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        let ids = try CreditSettlementTests.achieved(&ledger, "2026-10", ["A"])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": most, "paidOn": "2026-11-01"]
        )
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": most, "paidOn": "2026-11-02", "payer": "ICB1"]
        )
        try HandoverTests.transfer(&ledger, "K1", to: "P3", on: "2026-10-02")
        try CreditSettlementTests.withdraw(&ledger, ids[0])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 1])
        for query in [
            ["payments", "contract", "K1"], ["payments", "commissioner", "LA1"], ["payments", "commissioner", "ICB1"],
            ["payments", "provider", "P1"], ["payments", "provider", "P3"], ["market", "commissioner", "ICB1"],
            ["audit", "contract", "K1"],
        ] {
            #expect(try !ledger.projections.query(query).summary.isNull, "\(query)")
        }
        let october = try ledger.period("K1", "2026-10")
        #expect(october["holders"]?.arrayValue?.count == 2)
        #expect(october["payers"]?.arrayValue?.count == 2)
    }
}
