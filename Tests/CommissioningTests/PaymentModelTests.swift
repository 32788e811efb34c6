import Commissioning
import LedgerJSON
import Testing

@Suite("Payment models")
struct PaymentModelTests {
    static let blended: JSONValue = [
        "model": "blended", "periodPricePence": 200_000, "atRiskBp": 2500,
        "weights": [["outcome": "A", "weightBp": 6000], ["outcome": "B", "weightBp": 4000]], "partialFactorBp": 5000,
    ]

    /// Delivers and measures October on contract K1, verifying every measurement; returns the measurement ids.
    @discardableResult
    static func october(
        _ ledger: inout LedgerFixture,
        _ attainments: [(String, String)],
        verify: Bool = true
    ) throws -> [String] {
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 40])
        var ids = [String]()
        for (outcome, attainment) in attainments {
            let id = try ledger.append(
                "contract-K1",
                "outcome-measured",
                [
                    "period": "2026-10", "outcome": .string(outcome), "attainment": .string(attainment),
                    "evidenceRef": .string("ev-\(outcome)"),
                ]
            )
            ids.append(id)
            if verify { try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)]) }
        }
        return ids
    }

    @Test("DOMAIN.md worked example: blended, P=200000, r=2500, A achieved, B partial 5000: due 190000, withheld 10000")
    func workedExample() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.blended)
        try Self.october(&ledger, [("A", "achieved"), ("B", "partial")])
        let row = try ledger.period("K1", "2026-10")
        #expect(row.int("due.core") == 150_000)
        #expect(row.int("due.outcome") == 40_000)
        #expect(row.int("due.total") == 190_000)
        #expect(row.int("withheldTotal") == 10_000)
        #expect(
            row["withheld"] == [
                [
                    "amountPence": 10_000, "reason": "partial", "outcome": "B",
                    "measurement": row["lines"]?.arrayValue?[2]["measurement"] ?? nil,
                ]
            ]
        )
        #expect(row["earnedOn"] == "2026-10-31")
        #expect(row["dueOn"] == "2026-11-30")
    }

    @Test("an unverified outcome is withheld in full, with the reason")
    func unverified() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.blended)
        try Self.october(&ledger, [("A", "achieved"), ("B", "achieved")], verify: false)
        let row = try ledger.period("K1", "2026-10")
        #expect(row.int("due.total") == 150_000)
        #expect(row.int("withheldTotal") == 50_000)
        #expect(
            row["withheld"]?.arrayValue?.map { $0["reason"] } == ["awaiting-verification", "awaiting-verification"]
        )
    }

    @Test("task and time pays units x unit rate")
    func taskAndTime() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: ["model": "task-and-time", "unitRatePence": 2350])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 30])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 12])
        let row = try ledger.period("K1", "2026-10")
        #expect(row.int("due.taskAndTime") == 42 * 2350)
        #expect(row.int("due.total") == 42 * 2350)
    }

    @Test("outcome-based: core on delivery plus tariff x factor, rounded half-up once per line")
    func outcomeBased() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based", "corePence": 10_000,
                "tariff": [["outcome": "A", "amountPence": 12_345], ["outcome": "B", "amountPence": 8_001]],
                "partialFactorBp": 3333,
            ]
        )
        try Self.october(&ledger, [("A", "partial"), ("B", "not-achieved")])
        let row = try ledger.period("K1", "2026-10")
        // 12345 x 3333 / 10000 = 4114.5885 -> 4115; B pays 0.
        #expect(row.int("due.core") == 10_000)
        #expect(row.int("due.outcome") == 4115)
        #expect(row.int("withheldTotal") == (12_345 - 4115) + 8001)
    }

    @Test("linear partial credit between thresholds, rounded half-up in basis points")
    func linear() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based", "tariff": [["outcome": "A", "amountPence": 10_000]],
                "linear": [["outcome": "A", "low": 10, "high": 40]],
            ]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        let id = try ledger.append(
            "contract-K1",
            "outcome-measured",
            [
                "period": "2026-10", "outcome": "A", "value": 30, "evidenceRef": "star-1",
                "instrument": ["name": "Outcomes Star", "version": "2.1"],
            ]
        )
        try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)])
        // (30 - 10) / (40 - 10) = 6666.67 bp -> 6667; 10000 x 6667 / 10000 = 6667.
        let row = try ledger.period("K1", "2026-10")
        #expect(row["lines"]?.arrayValue?.first?["factorBp"] == 6667)
        #expect(row.int("due.outcome") == 6667)
    }

    @Test("caps: per period, per person and lifetime limit outcome money, with reasons")
    func caps() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based",
                "tariff": [["outcome": "A", "amountPence": 10_000], ["outcome": "B", "amountPence": 10_000]],
                "caps": ["perPeriodPence": 15_000, "lifetimePence": 25_000],
            ]
        )
        try Self.october(&ledger, [("A", "achieved"), ("B", "achieved")])
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.outcome") == 15_000)
        #expect(october["withheld"]?.arrayValue?.first?["reason"] == "cap-per-period")
        for outcome in ["A", "B"] {
            let id = try ledger.append(
                "contract-K1",
                "outcome-measured",
                ["period": "2026-11", "outcome": .string(outcome), "attainment": "achieved", "evidenceRef": "ev-nov"]
            )
            try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)])
        }
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.outcome") == 10_000)
        #expect(november["withheld"]?.arrayValue?.map { $0["reason"] } == ["cap-per-period", "cap-lifetime"])
    }

    @Test("per-person cap applies per case across periods")
    func perPersonCap() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based", "tariff": [["outcome": "A", "amountPence": 10_000]],
                "caps": ["perPersonPence": 12_000],
            ]
        )
        for period in ["2026-10", "2026-11"] {
            let id = try ledger.append(
                "contract-K1",
                "outcome-measured",
                ["period": .string(period), "outcome": "A", "attainment": "achieved", "evidenceRef": "ev"]
            )
            try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)])
        }
        #expect(try ledger.period("K1", "2026-10").int("due.outcome") == 10_000)
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.outcome") == 2000)
        #expect(november["withheld"]?.arrayValue?.first?["reason"] == "cap-per-person")
    }

    @Test("a verification withdrawn after payment stays due and is recovered in the next period settled")
    func clawback() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.blended)
        let ids = try Self.october(&ledger, [("A", "achieved"), ("B", "partial")])
        try ledger.append("contract-K1", "payment-approved", ["period": "2026-10", "amountPence": 190_000])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 190_000, "paidOn": "2026-11-20"]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 40])
        try ledger.append(
            "contract-K1",
            "outcome-verification-withdrawn",
            ["measurement": .string(ids[0]), "reason": "post-payment sample check failed"]
        )
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.total") == 190_000)
        #expect(october.int("outstanding") == 0)
        #expect(october["late"] == false)
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.adjustments") == -30_000)
        #expect(november.int("due.core") == 150_000)
        #expect(november.int("due.total") == 120_000)
    }

    @Test("a verification withdrawn before payment simply withholds the outcome")
    func withdrawnBeforePayment() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.blended)
        let ids = try Self.october(&ledger, [("A", "achieved"), ("B", "partial")])
        try ledger.append(
            "contract-K1",
            "outcome-verification-withdrawn",
            ["measurement": .string(ids[0]), "reason": "sample check"]
        )
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.total") == 160_000)
        #expect(october.int("due.adjustments") == 0)
        #expect(october["withheld"]?.arrayValue?.contains { $0["reason"] == "verification-withdrawn" } == true)
    }

    @Test("a correction retracting an outcome measurement: it no longer earns")
    func correctionRetractsOutcome() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.blended)
        let ids = try Self.october(&ledger, [("A", "achieved"), ("B", "partial")])
        try ledger.append(
            "contract-K1",
            "correction",
            ["retracts": .string(ids[0]), "reason": "recorded against the wrong contract"]
        )
        let row = try ledger.period("K1", "2026-10")
        #expect(row.int("due.total") == 160_000)
        #expect(
            row["withheld"]?.arrayValue?.contains { $0["reason"] == "not-measured" && $0["outcome"] == "A" } == true
        )
        let audit = try ledger.projections.query(["audit", "contract", "K1"])
        #expect(audit.rows.contains { $0["id"] == .string(ids[0]) && $0["retracted"] == true })
    }

    @Test("a correction retracting a payment: it is no longer paid")
    func correctionRetractsPayment() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: ["model": "task-and-time", "unitRatePence": 1000])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 5])
        let payment = try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 5000, "paidOn": "2026-11-02"]
        )
        #expect(try ledger.period("K1", "2026-10").int("outstanding") == 0)
        try ledger.append(
            "contract-K1",
            "correction",
            ["retracts": .string(payment), "reason": "bank transfer failed"]
        )
        #expect(try ledger.period("K1", "2026-10").int("outstanding") == 5000)
    }

    @Test("consortium: the integrator keeps its fee and owes the member the rest; both tiers are recorded")
    func consortiumSplit() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "Anytown Care Partnership", "integrator": "P2",
                "members": [
                    ["provider": "P2", "shareBp": 2000], ["provider": "P1", "shareBp": 5000],
                    ["provider": "P3", "shareBp": 3000],
                ],
                "managementFeeBp": 750,
            ]
        )
        try ledger.contract(
            "K1",
            payment: ["model": "task-and-time", "unitRatePence": 1999],
            supplier: ["consortium": "X1", "deliveredBy": "P1"]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 19_990, "paidOn": "2026-11-10"]
        )
        let row = try ledger.period("K1", "2026-10")
        // Fee: 19990 x 750 / 10000 = 1499.25 -> 1499; member due 18491, unpaid although the integrator was paid.
        #expect(row.int("passThrough.feePence") == 1499)
        #expect(row.int("passThrough.duePence") == 18_491)
        #expect(row.int("passThrough.outstandingPence") == 18_491)
        #expect(row.int("outstanding") == 0)
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 18_491, "paidOn": "2026-12-15", "member": "P1"]
        )
        ledger.today = "2026-12-16"
        let member = try ledger.projections.query(["payments", "provider", "P1"])
        #expect(member.summary["asMember"]?.int("paid") == 18_491)
        #expect(member.summary["asMember"]?.int("latePeriods") == 1)
        let integrator = try ledger.projections.query(["payments", "provider", "P2"])
        #expect(integrator.summary["integratorKeeps"] == 1499)
        #expect(integrator.rows.first?["tier"] == "integrator")
    }

    @Test("late payment: paid after the due date (payment terms from the contract)")
    func latePayment() throws {
        var ledger = try LedgerFixture.standard()
        var payment: [String: JSONValue] = [
            "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01", "paymentTermsDays": 14,
            "payment": ["model": "task-and-time", "unitRatePence": 100],
        ]
        try ledger.append("contract-K1", "contract-agreed", .object(payment))
        try ledger.append("contract-K1", "x-local-note", ["anything": true])
        payment["paymentTermsDays"] = nil
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 5])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 500, "paidOn": "2026-11-15"]
        )
        let row = try ledger.period("K1", "2026-10")
        #expect(row["dueOn"] == "2026-11-14")
        #expect(row["paidOn"] == "2026-11-15")
        #expect(row["late"] == true)
    }

    @Test("the largest amounts clamp instead of trapping")
    func extremes() throws {
        var ledger = try LedgerFixture.standard()
        let largest = JSONValue.number(JSONNumber(Int64.max))
        try ledger.contract(
            "K1",
            payment: [
                "model": "blended", "periodPricePence": largest, "atRiskBp": 5000,
                "weights": [["outcome": "A", "weightBp": 10_000]],
            ]
        )
        try Self.october(&ledger, [("A", "achieved")])
        for _ in 0..<2 {
            try ledger.append(
                "contract-K1",
                "payment-made",
                ["period": "2026-10", "amountPence": largest, "paidOn": "2026-11-01"]
            )
        }
        try ledger.contract("K2", payment: ["model": "task-and-time", "unitRatePence": largest])
        try ledger.append("contract-K2", "service-delivered", ["period": "2026-10", "units": 1_000_000_000])
        let row = try ledger.period("K1", "2026-10")
        #expect(row.int("due.total") == Int(Int64.max))
        #expect(row.int("paid") == Int(Int64.max))
        #expect(try ledger.period("K2", "2026-10").int("due.taskAndTime") == Int(Int64.max))
        _ = try ledger.projections.query(["payments", "commissioner", "LA1"])
        _ = try ledger.projections.query(["market", "commissioner", "LA1"])
        _ = try ledger.projections.query(["audit", "exceptions"])
    }
}
