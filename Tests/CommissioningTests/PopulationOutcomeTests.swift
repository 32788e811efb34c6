import Commissioning
import LedgerJSON
import Testing

/// Population outcomes: a rate per unit of improvement on a measure taken over a cohort, against a baseline or a
/// comparison group, up to a maximum over the contract's life. Every figure is computed by hand in the comments.
@Suite("Population outcomes")
struct PopulationOutcomeTests {
    /// Outcome-based K1: outcome A at 10,000, and £250 per unplanned admission avoided below 120 a month across a
    /// neighbourhood, at most £10,000 in all; £50 per person in work above 40.
    static let payment: JSONValue = [
        "model": "outcome-based", "tariff": [["outcome": "A", "amountPence": 10_000]],
        "population": [
            [
                "measure": "unplanned-admissions", "direction": "decrease", "baseline": 120, "ratePence": 25_000,
                "maxPence": 1_000_000,
            ],
            ["measure": "people-in-work", "direction": "increase", "baseline": 40, "ratePence": 5000],
        ],
    ]

    /// Measures `measure` over `cohort` in `period` (with a comparison group's value), verified unless told not to;
    /// returns the measurement's id.
    @discardableResult
    static func measure(
        _ ledger: inout LedgerFixture,
        _ period: String,
        _ value: Int,
        of measure: String = "unplanned-admissions",
        comparison: Int? = nil,
        cohort: String = "neighbourhood-N7",
        verify: Bool = true
    ) throws -> String {
        var data: [String: JSONValue] = [
            "period": .string(period), "measure": .string(measure), "cohort": .string(cohort),
            "value": .number(JSONNumber(value)), "evidenceRef": "sus-extract",
        ]
        data["comparison"] = comparison.map { .number(JSONNumber($0)) }
        let id = try ledger.append("contract-K1", "population-outcome-measured", .object(data))
        if verify { try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(id)]) }
        return id
    }

    @Test("improvement over the baseline or a comparison group times the rate, up to the maximum over the contract")
    func rateAndMaximum() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.payment)
        // October: 120 - 104 = 16 admissions avoided x 25,000 = 400,000; 46 - 40 = 6 people in work x 5,000 = 30,000.
        try Self.measure(&ledger, "2026-10", 104)
        try Self.measure(&ledger, "2026-10", 46, of: "people-in-work", cohort: "town-T1")
        let october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.outcome") == 430_000)
        let line = try #require(october["lines"]?.arrayValue?.first { $0["measure"] == "unplanned-admissions" })
        #expect(line.int("improvement") == 16)
        #expect(line.int("reference") == 120)
        #expect(line.int("amountPence") == 400_000)
        // November: 25 avoided = 625,000, but only 600,000 of the 1,000,000 maximum is left: 25,000 withheld.
        try Self.measure(&ledger, "2026-11", 95)
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.outcome") == 600_000)
        #expect(november["withheld"]?.arrayValue?.first?["reason"] == "cap-population")
        #expect(november.int("withheldTotal") == 25_000)
        // December: 130 is worse than the baseline: no improvement, nothing due.
        try Self.measure(&ledger, "2026-12", 130)
        #expect(try ledger.period("K1", "2026-12").int("due.outcome") == 0)
        // January: against a comparison group of 110, 100 is 10 avoided = 250,000, all beyond the maximum.
        try Self.measure(&ledger, "2027-01", 100, comparison: 110)
        let january = try ledger.period("K1", "2027-01")
        #expect(january["lines"]?.arrayValue?.first?.int("reference") == 110)
        #expect(january.int("due.outcome") == 0)
        #expect(january.int("withheldTotal") == 250_000)
    }

    @Test("unverified measurements are withheld; the latest measurement of a cohort stands; a recovery takes it back")
    func verification() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: Self.payment)
        // October: measured 110 (10 avoided), then corrected to 112 (8 avoided = 200,000), not yet verified.
        try Self.measure(&ledger, "2026-10", 110, verify: false)
        let latest = try Self.measure(&ledger, "2026-10", 112, verify: false)
        var october = try ledger.period("K1", "2026-10")
        #expect(october.int("due.outcome") == 0)
        #expect(october["withheld"]?.arrayValue?.map { $0["reason"] } == ["awaiting-verification"])
        #expect(october.int("withheldTotal") == 200_000)
        try ledger.append("contract-K1", "outcome-verified", ["measurement": .string(latest)])
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 200_000, "paidOn": "2026-11-20"]
        )
        october = try ledger.period("K1", "2026-10")
        #expect(october.int("outstanding") == 0)
        // The extract is found wrong after payment: November recovers the 200,000.
        try ledger.append(
            "contract-K1",
            "outcome-verification-withdrawn",
            ["measurement": .string(latest), "reason": "the extract double-counted transfers"]
        )
        let november = try ledger.period("K1", "2026-11")
        #expect(november.int("due.adjustments") == -200_000)
        #expect(november["lines"]?.arrayValue?.first?["outcome"] == "unplanned-admissions")
    }

    @Test("measurements of what the terms do not pay for are ignored: they make no period of their own")
    func unpaidMeasures() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract("K1", payment: PaymentModelTests.blended)
        try Self.measure(&ledger, "2027-03", 100)
        try ledger.append(
            "contract-K1",
            "outcome-measured",
            ["period": "2027-04", "outcome": "Z", "attainment": "achieved", "evidenceRef": "ev-Z"]
        )
        let answer = try ledger.projections.query(["payments", "contract", "K1"])
        #expect(answer.rows.isEmpty)
        #expect(answer.summary["totals"]?.int("withheld") == 0)
    }
}
