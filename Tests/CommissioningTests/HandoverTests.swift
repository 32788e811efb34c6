import Commissioning
import LedgerJSON
import Testing

/// A contract transferred to another provider mid-period: each holder's share of the period by the days it held it,
/// recoveries owed by the holders of the period they recover, and payments to the holder they name. Every figure is
/// computed by hand in the comments.
@Suite("Provider failure and handover")
struct HandoverTests {
    static func transfer(_ ledger: inout LedgerFixture, _ contract: String, to provider: String, on day: String) throws
    {
        try ledger.append(
            "contract-\(contract)",
            "contract-transferred",
            ["on": .string(day), "provider": .string(provider), "reason": "provider-failed"]
        )
    }

    static let hourly: JSONValue = ["model": "task-and-time", "unitRatePence": 1000]

    /// The shares of a row's `holders`, as (holder, days, due) triples.
    static func shares(_ row: JSONValue) -> [String: (days: Int?, due: Int?)] {
        var shares = [String: (days: Int?, due: Int?)]()
        for share in row["holders"]?.arrayValue ?? [] {
            let holder = share["provider"]?.stringValue ?? share["consortium"]?.stringValue ?? "?"
            shares[holder] = (share.int("days"), share.int("due.total"))
        }
        return shares
    }

    @Test("a month held twice by one provider: its days add up under its first entry, the rest rounds half-up")
    func heldTwice() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.hourly)
        // December (31 days): P1 holds the 1st-4th, P2 the 5th-19th (15 days), P1 again from the 20th (12 days).
        try Self.transfer(&ledger, "K1", to: "P2", on: "2026-12-05")
        try Self.transfer(&ledger, "K1", to: "P1", on: "2026-12-20")
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-12", "units": 10])
        let december = try ledger.period("K1", "2026-12")
        // 10 x 1,000 = 10,000. P2: 10,000 x 15 / 31 = 4,838.7, rounded to 4,839; P1 the rest, 5,161 over 16 days.
        #expect(december.int("due.total") == 10_000)
        let holders = try #require(december["holders"]?.arrayValue)
        #expect(holders.map { $0["provider"]?.stringValue } == ["P1", "P2"])
        #expect(Self.shares(december)["P1"]?.days == 16)
        #expect(Self.shares(december)["P1"]?.due == 5161)
        #expect(Self.shares(december)["P2"]?.days == 15)
        #expect(Self.shares(december)["P2"]?.due == 4839)
        // Unpaid: each share is outstanding in full; paying without a name pays the last day's holder, P1.
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-12", "amountPence": 5161, "paidOn": "2027-01-10"]
        )
        let paid = try ledger.period("K1", "2026-12")
        let p1 = try #require(paid["holders"]?.arrayValue?.first)
        #expect(p1.int("outstanding") == 0)
        #expect(p1["paidOn"] == "2027-01-10")
        #expect(paid["holders"]?.arrayValue?.last?.int("outstanding") == 4839)
        #expect(paid["paidOn"] == .null)
    }

    @Test("before the transfer's month, and after a transfer to the holder itself, a row has no holders")
    func unchangedRows() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.hourly)
        try Self.transfer(&ledger, "K1", to: "P1", on: "2026-10-10")
        try Self.transfer(&ledger, "K1", to: "P2", on: "2026-11-01")
        for period in ["2026-10", "2026-11"] {
            try ledger.append("contract-K1", "service-delivered", ["period": .string(period), "units": 3])
        }
        #expect(try ledger.period("K1", "2026-10")["holders"] == nil)
        // November is P2's from its first day: one share of 30 days, all of it.
        let november = try ledger.period("K1", "2026-11")
        #expect(Self.shares(november)["P2"]?.days == 30)
        #expect(Self.shares(november)["P2"]?.due == 3000)
        #expect(Self.shares(november).count == 1)
    }

    @Test("a consortium's contract moved to a provider: the consortium passes through its share, then nothing")
    func consortiumHandedBack() throws {
        var ledger = try CreditSettlementTests.consortiumContract(feeBp: 1000, tariffPence: 40_000)
        // K1 (consortium X1, integrator P2, member P1 doing the work) pays a core of 30,000 a month with delivery.
        try ledger.append(
            "contract-K1",
            "contract-varied",
            [
                "from": "2026-10", "reason": "core added",
                "payment": [
                    "model": "outcome-based", "corePence": 30_000,
                    "tariff": [["outcome": "A", "amountPence": 40_000]],
                ],
            ]
        )
        // X1 hands the contract back; P3 holds it from 21 November: X1 20 days, P3 10 of November's 30.
        try ledger.append(
            "contract-K1",
            "contract-transferred",
            ["on": "2026-11-21", "provider": "P3", "reason": "handed-back", "note": "member withdrew"]
        )
        for period in ["2026-11", "2026-12"] {
            try ledger.append("contract-K1", "service-delivered", ["period": .string(period), "units": 8])
        }
        let november = try ledger.period("K1", "2026-11")
        // P3: 30,000 x 10 / 30 = 10,000; X1: 20,000, of which the integrator keeps 10 % (2,000) and owes P1 18,000.
        #expect(Self.shares(november)["X1"]?.due == 20_000)
        #expect(Self.shares(november)["P3"]?.due == 10_000)
        #expect(november.int("passThrough.earnedPence") == 20_000)
        #expect(november.int("passThrough.feePence") == 2000)
        #expect(november.int("passThrough.duePence") == 18_000)
        // December is P3's alone: no pass-through.
        let december = try ledger.period("K1", "2026-12")
        #expect(december["passThrough"] == nil)
        #expect(Self.shares(december)["P3"]?.due == 30_000)
        // The integrator's totals count X1's share only; P3's its two shares; P1 its pass-through.
        let integrator = try ledger.projections.query(["payments", "provider", "P2"])
        #expect(integrator.rows.map { $0["tier"] } == ["integrator"])
        #expect(integrator.summary.int("asIntegrator.due.total") == 20_000)
        #expect(integrator.summary.int("integratorKeeps") == 2000)
        let newHolder = try ledger.projections.query(["payments", "provider", "P3"])
        #expect(newHolder.rows.map { $0["tier"] } == ["contractor", "contractor"])
        #expect(newHolder.summary.int("asContractor.due.total") == 40_000)
        let member = try ledger.projections.query(["payments", "provider", "P1"])
        #expect(member.summary.int("asMember.due") == 18_000)
    }

    @Test("a recovery is owed by the holder of the period it recovers, and its refund names that holder")
    func recoveryFromTheFailedHolder() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: ["model": "outcome-based", "tariff": [["outcome": "A", "amountPence": 40_000]]]
        )
        // October: A achieved and verified, 40,000 paid to P1. P1 fails; P3 holds the contract from 1 November.
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        let ids = try CreditSettlementTests.achieved(&ledger, "2026-10", ["A"])
        try CreditSettlementTests.pay(&ledger, "2026-10", 40_000, on: "2026-11-20")
        try Self.transfer(&ledger, "K1", to: "P3", on: "2026-11-01")
        try CreditSettlementTests.withdraw(&ledger, ids[0])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 1])
        // November recovers October's 40,000 from P1 (0 days), not from P3 (30 days, nothing earned).
        var november = try ledger.period("K1", "2026-11")
        #expect(Self.shares(november)["P1"]?.days == 0)
        #expect(Self.shares(november)["P1"]?.due == -40_000)
        #expect(Self.shares(november)["P3"]?.due == 0)
        try ledger.append(
            "contract-K1",
            "credit-refunded",
            ["period": "2026-11", "amountPence": 40_000, "refundedOn": "2026-12-01", "provider": "P1"]
        )
        november = try ledger.period("K1", "2026-11")
        let p1 = try #require(november["holders"]?.arrayValue?.first { $0["provider"] == "P1" })
        #expect(p1.int("refunded") == 40_000)
        #expect(p1.int("outstanding") == 0)
        #expect(november.int("outstanding") == 0)
        // The decision trail says who holds the contract from when, and who refunded.
        let audit = try ledger.projections.query(["audit", "contract", "K1"])
        let sentences = audit.rows.compactMap { $0["what"]?.stringValue }
        #expect(sentences.contains("contract transferred to provider-P3 from 2026-11-01: provider-failed"))
        #expect(sentences.contains("credit of 2026-11 refunded by provider-P1 on 2026-12-01"))
    }

    @Test("a reward for quality by rating reads the rating of the holder on the period's last day")
    func qualityOfTheNewHolder() throws {
        var ledger = try LedgerFixture.standard()
        var payment = Self.hourly.objectValue ?? [:]
        payment["quality"] = QualityPaymentTests.byRating
        try ledger.contract("K1", payment: .object(payment))
        try QualityPaymentTests.rate(&ledger, "P3", "outstanding", from: "2026-10-01")
        try Self.transfer(&ledger, "K1", to: "P3", on: "2026-10-16")
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        // Fee 10,000, uplifted 3 % by P3's rating (P1's good earns nothing): 300. 10,300 shared by days: P3 held
        // 16 of 31 days, 10,300 x 16 / 31 = 5,316.1, rounded to 5,316 (of it 300 x 16 / 31 = 154.8, 155 of the
        // uplift); P1 the rest, 4,984.
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.quality") == 300)
        #expect(Self.shares(october)["P3"]?.due == 5316)
        #expect(Self.shares(october)["P1"]?.due == 4984)
        let p3 = try #require(october["holders"]?.arrayValue?.last)
        #expect(p3.int("due.quality") == 155)
        #expect(p3.int("due.taskAndTime") == 5161)
    }

    @Test("a payment names at most one payee, never with a member")
    func payeeValidation() throws {
        for data: JSONValue in [
            ["period": "2026-10", "amountPence": 100, "paidOn": "2026-11-01", "member": "P1", "provider": "P2"],
            ["period": "2026-10", "amountPence": 100, "paidOn": "2026-11-01", "provider": "P2", "consortium": "X1"],
        ] {
            #expect(throws: (any Error).self) {
                try Catalogue.validate(
                    stream: "contract-K1",
                    type: "payment-made",
                    data: data,
                    meta: JSONValue.object([:])
                )
            }
        }
        let requirements = try Catalogue.validate(
            stream: "contract-K1",
            type: "contract-transferred",
            data: ["on": "2026-11-01", "provider": "P2", "reason": "commissioner-decision"] as JSONValue,
            meta: JSONValue.object([:])
        )
        #expect(requirements.referencedStreams.contains("provider-P2"))
    }
}
