import Commissioning
import LedgerJSON
import Testing

/// Shares of holders, payers and members at their edges, as an independent review found them: amounts at Int64's
/// limit, payers and payees outside the contract, a member taking its consortium's contract over, and stored rows
/// carrying every kind of share at once.
@Suite("Shares at their edges")
struct ShareEdgeTests {
    static let most = JSONValue.number(JSONNumber(Int64.max))

    /// Outcome-based K1 paying a core of Int64.max and Int64.max for A, with a 50 % reduction for P1's "good".
    static func hugeContract(pool: JSONValue? = nil) throws -> LedgerFixture {
        var ledger = try LedgerFixture.standard()
        try ledger.append("commissioner-ICB1", "commissioner-registered", ["name": "ICB", "kind": "nhs-body"])
        var data: [String: JSONValue] = [
            "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
            "payment": [
                "model": "outcome-based", "corePence": most, "tariff": [["outcome": "A", "amountPence": most]],
                "quality": ["ratings": [["rating": "good", "reductionBp": 5000]]],
            ],
        ]
        data["pool"] = pool
        try ledger.append("contract-K1", "contract-agreed", .object(data))
        return ledger
    }

    @Test("a clamped period shared by holders, by partners, or by both answers every query without a trap")
    func clampedShares() throws {
        let pool: JSONValue = [["commissioner": "LA1", "shareBp": 7000], ["commissioner": "ICB1", "shareBp": 3000]]
        for (pooled, transferred) in [(false, true), (true, false), (true, true)] {
            var ledger = try Self.hugeContract(pool: pooled ? pool : JSONValue?.none)
            if transferred { try HandoverTests.transfer(&ledger, "K1", to: "P2", on: "2026-10-11") }
            try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
            _ = try CreditSettlementTests.achieved(&ledger, "2026-10", ["A"])
            for query in [
                ["payments", "contract", "K1"], ["payments", "commissioner", "LA1"],
                ["payments", "commissioner", "ICB1"],
                ["payments", "provider", "P1"], ["payments", "provider", "P2"], ["market", "commissioner", "LA1"],
                ["market", "commissioner", "ICB1"],
            ] {
                #expect(try !ledger.projections.query(query).summary.isNull, "\(query)")
            }
        }
    }

    @Test("a payer outside the pool shows on the row with a share of nothing, in no commissioner's answers")
    func payerOutsideThePool() throws {
        var ledger = try LedgerFixture.standard()
        for id in ["ICB1", "LA2"] {
            try ledger.append("commissioner-\(id)", "commissioner-registered", ["name": "C", "kind": "nhs-body"])
        }
        try ledger.append(
            "contract-K1",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
                "payment": ["model": "task-and-time", "unitRatePence": 1000],
                "pool": [["commissioner": "LA1", "shareBp": 7000], ["commissioner": "ICB1", "shareBp": 3000]],
            ]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 500, "paidOn": "2026-11-05", "payer": "LA2"]
        )
        let stray = try #require(try ledger.period("K1", "2026-10")["payers"]?.arrayValue?.last)
        #expect(stray["commissioner"] == "LA2" && stray.int("shareBp") == 0 && stray.int("outstanding") == -500)
        // The read models' market parts are the partners' only, as the live answers count them.
        let parts = try #require(ledger.projections.contractRows("K1")).market
        #expect(parts.map(\.commissioner) == ["LA1", "ICB1"])
        #expect(try ledger.projections.query(["payments", "commissioner", "LA2"]).rows.isEmpty)
    }

    @Test("a member taking its consortium's contract over keeps its pass-through for the days before")
    func memberTakesOver() throws {
        var ledger = try CreditSettlementTests.consortiumContract(feeBp: 1000, tariffPence: 40_000)
        try ledger.append(
            "contract-K1",
            "contract-varied",
            [
                "from": "2026-10", "reason": "core added",
                "payment": [
                    "model": "outcome-based", "corePence": 30_000, "tariff": [["outcome": "A", "amountPence": 40_000]],
                ],
            ]
        )
        // X1 (integrator P2, member P1 doing the work) hands back; P1 holds K1 itself from 21 November: X1's 20
        // days earn 20,000, of which P1 is owed 18,000; P1's own 10 days 10,000.
        try ledger.append(
            "contract-K1",
            "contract-transferred",
            ["on": "2026-11-21", "provider": "P1", "reason": "handed-back"]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 8])
        let p1 = try ledger.projections.query(["payments", "provider", "P1"])
        #expect(p1.rows.map { $0["tier"] } == ["contractor"])
        #expect(p1.summary.int("asContractor.due.total") == 10_000)
        #expect(p1.summary.int("asMember.due") == 18_000)
    }

    @Test("a payee that never held the contract is not the integrator's: only the contract's consortium is")
    func strangerConsortium() throws {
        var ledger = try CreditSettlementTests.consortiumContract(feeBp: 1000, tariffPence: 40_000)
        try ledger.append(
            "consortium-X2",
            "consortium-registered",
            [
                "name": "Y", "integrator": "P3", "managementFeeBp": 0,
                "members": [["provider": "P3", "shareBp": 10_000]],
            ]
        )
        try HandoverTests.transfer(&ledger, "K1", to: "P1", on: "2026-10-01")
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-11", "amountPence": 777, "paidOn": "2026-12-01", "consortium": "X2"]
        )
        #expect(try ledger.projections.query(["payments", "provider", "P2"]).rows.isEmpty)
        let november = try ledger.period("K1", "2026-11")
        #expect(november["holders"]?.arrayValue?.contains { $0["consortium"] == "X2" && $0.int("paid") == 777 } == true)
    }

    @Test("work named on a provider's own contract passes nothing through")
    func providerNamesWorkers() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: HandoverTests.hourly)
        try ledger.append(
            "contract-K1",
            "contract-varied",
            ["from": "2026-10", "reason": "subcontracted", "sharedBy": [["provider": "P2", "shareBp": 10_000]]]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 1])
        let october = try ledger.period("K1", "2026-10")
        #expect(october["passThroughs"] == nil && october["passThrough"] == nil)
    }

    @Test("stored rows with holders, payers and shared pass-throughs at once answer as the live projections")
    func storedRowsWithEveryShare() throws {
        var ledger = try LedgerFixture.standard()
        ledger.today = "2027-06-01"
        try ledger.append("commissioner-ICB1", "commissioner-registered", ["name": "ICB", "kind": "nhs-body"])
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "X", "integrator": "P2", "managementFeeBp": 1000,
                "members": [
                    ["provider": "P2", "shareBp": 4000], ["provider": "P1", "shareBp": 3000],
                    ["provider": "P3", "shareBp": 3000],
                ],
            ]
        )
        try ledger.append(
            "contract-K1",
            "contract-agreed",
            [
                "requirement": "R1", "commissioner": "LA1", "consortium": "X1", "start": "2026-10-01",
                "sharedBy": [["provider": "P1", "shareBp": 5000], ["provider": "P3", "shareBp": 5000]],
                "payment": ["model": "task-and-time", "unitRatePence": 10_001],
                "pool": [["commissioner": "LA1", "shareBp": 7000], ["commissioner": "ICB1", "shareBp": 3000]],
            ]
        )
        try HandoverTests.transfer(&ledger, "K1", to: "P1", on: "2026-10-21")
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 3])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 100, "paidOn": "2026-11-05", "member": "P3"]
        )
        let rows = try #require(ledger.projections.contractRows("K1"))
        for subject in [
            ["provider", "P1"], ["provider", "P2"], ["provider", "P3"], ["commissioner", "ICB1"],
            ["commissioner", "LA1"],
        ] {
            let arguments = ["payments"] + subject
            var answer = try #require(try PaymentsAcrossContracts(arguments, recorded: "2027-06-01T09:00:00.000000Z"))
            var listed = [JSONValue]()
            for row in rows.rows {
                let stored = try #require(row.stored.withUnsafeBytes { SettlementRow(stored: $0) })
                #expect(stored == row)
                var json = [UInt8]()
                if answer.add(stored, of: rows.parties, to: &json) { listed.append(try JSONParser.parse(json)) }
            }
            let live = try ledger.projections.query(arguments)
            #expect(listed == live.rows, "\(subject)")
            #expect(answer.summary == live.summary, "\(subject)")
        }
    }
}
