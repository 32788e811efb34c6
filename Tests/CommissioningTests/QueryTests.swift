import Commissioning
import LedgerJSON
import Testing

@Suite("Audit, quality and market queries")
struct QueryTests {
    /// A procured contract: offers, an evaluation, and a selection of the second-ranked offer.
    static func procured(reason: JSONValue? = "person-choice") throws -> LedgerFixture {
        var ledger = try LedgerFixture.standard()
        for (offer, provider, price) in [("O1", "P1", 190_000), ("O2", "P2", 200_000)] {
            try ledger.append(
                "requirement-R1",
                "offer-submitted",
                [
                    "offerId": .string(offer), "provider": .string(provider), "pricePence": Self.int(price),
                    "outcomes": ["A", "B"],
                ]
            )
        }
        try ledger.append(
            "requirement-R1",
            "offers-evaluated",
            [
                "weighting": ["qualityBp": 7000, "priceBp": 3000],
                "scores": [
                    ["offerId": "O1", "qualityScore": 8000, "priceScore": 9000],
                    ["offerId": "O2", "qualityScore": 7000, "priceScore": 6000],
                ],
                "ranking": ["O1", "O2"],
            ],
            actor: "panel:evaluation"
        )
        var selection: [String: JSONValue] = [
            "offerId": "O2", "decidedBy": "panel:brokerage", "basis": "person-choice",
            "rationale": "the person's choice",
        ]
        if let reason {
            selection["reason"] = reason
            selection["rank"] = 2
        }
        try ledger.append("requirement-R1", "provider-selected", .object(selection))
        try ledger.contract(
            "K1",
            payment: ["model": "task-and-time", "unitRatePence": 2000],
            supplier: ["provider": "P2"]
        )
        return ledger
    }

    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    @Test("audit of a case: the whole decision history in log order, with who, basis, amounts and leaf hashes")
    func auditCase() throws {
        let ledger = try Self.procured()
        // The leaf hashes come from the log; an entry without one (here the first) shows none.
        let first = try #require(
            try ledger.projections.query(["audit", "case", "C1"]).rows.first?["position"]?.int64Value
        )
        let audit = try ledger.projections.query(["audit", "case", "C1"]) { position in
            Int64(position) == first ? nil : "leaf-\(position)"
        }
        let types = audit.rows.compactMap { $0["type"]?.stringValue }
        #expect(
            types == [
                "need-assessed", "requirement-published", "offer-submitted", "offer-submitted", "offers-evaluated",
                "provider-selected", "contract-agreed",
            ]
        )
        let positions = audit.rows.compactMap { $0["position"]?.int64Value }
        #expect(positions == positions.sorted())
        let selection = try #require(audit.rows.first { $0["type"] == "provider-selected" })
        #expect(selection["who"] == "panel:brokerage")
        #expect(selection["basis"] == "person-choice")
        let selected = try #require(selection["position"]?.int64Value)
        #expect(selection["leafHash"]?.stringValue == "leaf-\(selected)")
        #expect(audit.rows.first?["leafHash"] == nil)
        #expect(audit.rows.dropFirst().allSatisfy { $0["leafHash"] != nil })
        #expect(audit.rows.first { $0["type"] == "offer-submitted" }?["amountPence"] == 190_000)
        #expect(audit.rows.first?["details"]?["personRef"] == nil)
        #expect(try ledger.projections.query(["audit", "contract", "K1"]).rows.count == 7)
    }

    @Test("exceptions: override without reason, selection without evaluation, no preferences, payment without evidence")
    func exceptions() throws {
        var ledger = try Self.procured(reason: nil)
        try ledger.append(
            "case-C2",
            "need-assessed",
            ["personRef": "pr-2", "commissioner": "LA1", "outcomes": [], "preferences": []]
        )
        try ledger.append(
            "requirement-R2",
            "requirement-published",
            [
                "case": "C2", "commissioner": "LA1", "outcomes": [["id": "A", "measure": "safe at home"]],
                "preferences": [], "route": "spot-purchase", "justification": "same-day discharge", "invited": ["P3"],
            ]
        )
        try ledger.append(
            "requirement-R2",
            "offer-submitted",
            ["offerId": "O1", "provider": "P3", "pricePence": 100, "outcomes": ["A"]]
        )
        try ledger.append(
            "requirement-R2",
            "provider-selected",
            ["offerId": "O1", "decidedBy": "officer:LA1-9", "basis": "capacity", "rationale": "only one available"]
        )
        try ledger.append(
            "contract-K1",
            "payment-made",
            ["period": "2026-10", "amountPence": 5000, "paidOn": "2026-11-01"]
        )
        let result = try ledger.projections.query(["audit", "exceptions", "LA1"])
        let kinds = Set(result.rows.compactMap { $0["kind"]?.stringValue })
        #expect(
            kinds == [
                "override-without-reason", "requirement-without-preferences", "selection-without-evaluation",
                "payment-without-delivery",
            ]
        )
        #expect(result.summary["count"]?.int64Value == Int64(result.rows.count))
        #expect(try ledger.projections.query(["audit", "exceptions"]).rows.count == result.rows.count)
        let audit = try ledger.projections.query(["audit", "requirement", "R2"])
        let auditKinds = audit.summary["exceptions"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
        #expect(auditKinds == ["requirement-without-preferences", "selection-without-evaluation"])
    }

    @Test("a retracted selection reason makes the override an exception")
    func retractedReason() throws {
        var ledger = try Self.procured()
        #expect(try ledger.projections.query(["audit", "exceptions"]).rows.isEmpty)
        let selection = try #require(ledger.events.last { $0.type == "provider-selected" }?.id)
        try ledger.append(
            "requirement-R1",
            "provider-selected",
            ["offerId": "O2", "decidedBy": "panel:brokerage", "basis": "relationship", "rationale": "re-recorded"]
        )
        try ledger.append("requirement-R1", "correction", ["retracts": .string(selection), "reason": "superseded"])
        let rows = try ledger.projections.query(["audit", "exceptions"]).rows
        #expect(rows.map { $0["kind"] } == ["override-without-reason"])
    }

    @Test("quality: attainment rate of verified outcomes, evaluation scores and rating history")
    func quality() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.contract(
            "K1",
            payment: [
                "model": "outcome-based",
                "tariff": [["outcome": "A", "amountPence": 100], ["outcome": "B", "amountPence": 100]],
                "partialFactorBp": 5000,
            ]
        )
        try PaymentModelTests.october(&ledger, [("A", "achieved"), ("B", "partial")])
        try ledger.append(
            "provider-P1",
            "provider-rating-changed",
            ["regulator": "cqc", "rating": "outstanding", "effective": "2026-10-20"]
        )
        let result = try ledger.projections.query(["quality", "provider", "P1"])
        #expect(result.summary["attainment"]?.int("attainmentRateBp") == 7500)
        #expect(result.summary["attainment"]?.int("achievedRateBp") == 5000)
        #expect(result.summary["rating"] == "outstanding")
        #expect(result.rows.filter { $0["kind"] == "rating" }.map { $0["rating"] } == ["good", "outstanding"])
        let scored = try Self.procured().projections.query(["quality", "provider", "P1"])
        #expect(scored.summary["evaluations"]?.int("averageCombinedScore") == 8300)
        #expect(scored.summary["evaluations"]?.int("topRanked") == 1)
    }

    @Test("market: spend, SME share at award, HHI, routes and why the top-ranked offer lost")
    func market() throws {
        var ledger = try Self.procured()
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 10])
        try ledger.append(
            "provider-P2",
            "provider-scale-changed",
            ["scale": "small", "effective": "2026-11-01"]
        )
        var result = try ledger.projections.query(["market", "commissioner", "LA1", "2026-10"])
        #expect(result.summary["spendPence"] == 20_000)
        #expect(result.summary["smeShareBp"] == 0)
        #expect(result.summary["hhi"] == 10_000)
        #expect(result.summary["topRankedLost"]?["byReason"] == ["person-choice": 1])
        #expect(result.summary["topRankedLost"]?.int("override") == 1)
        #expect(result.summary["selectionBases"] == ["person-choice": 1])
        try ledger.contract(
            "K2",
            payment: ["model": "task-and-time", "unitRatePence": 1000],
            supplier: ["provider": "P1"]
        )
        try ledger.append("contract-K2", "service-delivered", ["period": "2026-10", "units": 20])
        result = try ledger.projections.query(["market", "commissioner", "LA1", "2026"])
        #expect(result.summary["smeShareBp"] == 5000)
        #expect(result.summary["hhi"] == 5000)
        #expect(result.rows.count == 2)
        #expect(try ledger.projections.query(["market", "commissioner", "LA1", "2025"]).summary["spendPence"] == 0)
    }

    @Test(
        "market: members without work are the consortium's members, but its integrator, who did none of this commissioner's work in the period"
    )
    func membersWithoutWork() throws {
        var ledger = try LedgerFixture.standard()
        try ledger.append(
            "consortium-X1",
            "consortium-registered",
            [
                "name": "Partnership", "integrator": "P2", "managementFeeBp": 500,
                "members": [
                    ["provider": "P2", "shareBp": 5000], ["provider": "P1", "shareBp": 2500],
                    ["provider": "P3", "shareBp": 2500],
                ],
            ]
        )
        try ledger.contract(
            "K1",
            payment: ["model": "task-and-time", "unitRatePence": 1000],
            supplier: ["consortium": "X1", "deliveredBy": "P1"]
        )
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-10", "units": 20])
        // P3 works for the consortium, but for another commissioner: that is not LA1's work.
        try ledger.append(
            "commissioner-LA2",
            "commissioner-registered",
            ["name": "Othertown", "kind": "local-authority"]
        )
        try ledger.append(
            "case-C2",
            "need-assessed",
            [
                "personRef": "pr-9b1c", "commissioner": "LA2",
                "outcomes": [["id": "A", "measure": "independent living"]], "preferences": ["near family"],
            ]
        )
        try ledger.append(
            "requirement-R2",
            "requirement-published",
            [
                "case": "C2", "commissioner": "LA2", "outcomes": [["id": "A", "measure": "independent living"]],
                "preferences": ["near family"], "route": "mini-competition", "invited": ["P3"],
            ]
        )
        try ledger.append(
            "contract-K2",
            "contract-agreed",
            [
                "requirement": "R2", "commissioner": "LA2", "start": "2026-10-01", "consortium": "X1",
                "deliveredBy": "P3", "payment": ["model": "task-and-time", "unitRatePence": 1000],
            ]
        )
        try ledger.append("contract-K2", "service-delivered", ["period": "2026-10", "units": 5])
        func withoutWork(_ arguments: [String]) throws -> [String] {
            let summary = try ledger.projections.query(["market", "commissioner"] + arguments).summary
            return summary["membersWithoutWork"]?.arrayValue?.compactMap { $0["provider"]?.stringValue } ?? []
        }
        // The integrator P2 leads and is never listed; P1 did LA1's work; P3 did only LA2's.
        #expect(try withoutWork(["LA1"]) == ["P3"])
        #expect(try withoutWork(["LA1", "2026-10"]) == ["P3"])
        #expect(try withoutWork(["LA2"]) == ["P1"])
        // In November nobody worked for LA1: the consortium holds a contract but had no activity, so it is not counted.
        #expect(try withoutWork(["LA1", "2026-11"]) == [])
        try ledger.append("contract-K1", "service-delivered", ["period": "2026-11", "units": 1])
        try ledger.append(
            "contract-K1",
            "contract-varied",
            ["from": "2026-11", "reason": "handover", "deliveredBy": "P3"]
        )
        #expect(try withoutWork(["LA1", "2026-11"]) == ["P1"], "P3 did November's work, P1 none of it")
        let result = try ledger.projections.query(["market", "commissioner", "LA1"])
        #expect(result.summary["integratorsShareBp"] == 10_000)
    }

    @Test("bad arguments are BAD_REQUEST; unknown entities NOT_FOUND")
    func errors() throws {
        let projections = try LedgerFixture.standard().projections
        for arguments in [
            [], ["payments"], ["payments", "contract"], ["payments", "widget", "K1"],
            ["payments", "contract", "K1", "2026-13"],
            ["audit", "case"], ["audit", "widget", "C1"], ["quality", "commissioner", "LA1"],
            ["market", "provider", "P1"],
            ["market", "commissioner", "LA1", "26"], ["gossip"],
        ] {
            #expect(throws: QueryError.self, "\(arguments)") { try projections.query(arguments) }
            do {
                _ = try projections.query(arguments)
            } catch {
                #expect(error.code == .badRequest, "\(arguments)")
            }
        }
        for arguments in [
            ["payments", "contract", "K9"], ["payments", "provider", "P9"], ["payments", "commissioner", "LA9"],
            ["audit", "case", "C9"], ["audit", "requirement", "R9"], ["audit", "contract", "K9"],
            ["audit", "exceptions", "LA9"], ["quality", "provider", "P9"], ["market", "commissioner", "LA9"],
        ] {
            do {
                _ = try projections.query(arguments)
                Issue.record("\(arguments) answered")
            } catch {
                #expect(error.code == .notFound, "\(arguments)")
            }
        }
    }
}
