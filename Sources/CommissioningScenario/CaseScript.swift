import LedgerJSON

/// Plans the whole life of one case: need, requirement, offers, evaluation, selection, contract, monthly delivery,
/// outcomes, verification, payment, recoveries and corrections, and reckons its money from the same choices.
struct CaseScript {
    private(set) var events: [ScriptedEvent] = []
    private var nextLabel = 0
    private let caseID: String
    private let requirementID: String
    private let contractID: String
    private let commissioner: String
    private let actor: String

    private static let outcomeMeasures = [
        ("A", "prepares own meals"), ("B", "weekly community activity"), ("C", "manages own medication"),
    ]
    private static let preferences = [
        "female carers", "visits after 9am", "near family", "same carers each week", "Welsh-speaking staff",
        "no pets in placement",
    ]

    /// The planned events of case number `number`; adds its totals to `reckoning`.
    init(number: Int, population: Population, random: inout ScenarioRandom, reckoning: inout ScenarioReckoning) {
        let suffix = Population.padded(number, 6)
        caseID = "C" + suffix
        requirementID = "R" + suffix
        contractID = "K" + suffix
        commissioner = random.pick(population.commissioners)
        actor = "officer:\(commissioner)-\(random.int(1...40))"
        var totals = reckoning.commissioners[commissioner] ?? ScenarioReckoning.Commissioner()
        let outcomes = Array(Self.outcomeMeasures.prefix(random.int(1...3)))
        let award = procure(outcomes: outcomes, population: population, random: &random, totals: &totals)
        contract(award, outcomes: outcomes.map(\.0), population: population, random: &random, totals: &totals)
        reckoning.commissioners[commissioner] = totals
        for (partner, shares) in partnerTotals { reckoning.commissioners[partner, default: .init()].add(shares) }
    }

    // MARK: Procurement

    /// Who won the requirement.
    struct Award {
        var offer: String
        var provider: String?
        var consortium: Population.Consortium?
        var pricePence: Int64
    }

    private mutating func procure(
        outcomes: [(String, String)],
        population: Population,
        random: inout ScenarioRandom,
        totals: inout ScenarioReckoning.Commissioner
    ) -> Award {
        let outcomeJSON: JSONValue = .array(outcomes.map { ["id": .string($0.0), "measure": .string($0.1)] })
        var preferences = [JSONValue]()
        if !random.chance(4) {
            for _ in 0..<random.int(1...2) { preferences.append(.string(random.pick(Self.preferences))) }
        }
        append(
            "case-\(caseID)",
            "need-assessed",
            [
                "personRef": .string("pr-\(String(random.next() >> 16, radix: 36))"),
                "commissioner": .string(commissioner), "outcomes": outcomeJSON, "preferences": .array(preferences),
                "service": .string(random.pick(["home-care", "supported-living", "residential", "sen-placement"])),
            ]
        )
        let route = random.weighted([
            ("mini-competition", 70), ("framework-call-off", 17), ("direct-award", 5), ("spot-purchase", 8),
        ])
        totals.requirements += 1
        let single = route == "direct-award" || route == "spot-purchase"
        if route == "spot-purchase" { totals.spotPurchases += 1 }
        if route == "direct-award" { totals.directAwards += 1 }
        var invited = [String]()
        while invited.count < (single ? 1 : random.int(3...6)) {
            let provider = random.pick(population.providers)
            if !invited.contains(provider) { invited.append(provider) }
        }
        let consortium =
            !single && !population.consortia.isEmpty && random.chance(30) ? random.pick(population.consortia) : nil
        var publication: [String: JSONValue] = [
            "case": .string(caseID), "commissioner": .string(commissioner), "outcomes": outcomeJSON,
            "preferences": .array(preferences), "route": .string(route), "invited": .array(invited.map { .string($0) }),
        ]
        if let consortium { publication["invitedConsortia"] = [.string(consortium.id)] }
        if single {
            publication["justification"] = .string(
                route == "spot-purchase"
                    ? "same-day hospital discharge; no framework provider had capacity"
                    : "only provider able to meet the specialist need"
            )
        }
        append("requirement-\(requirementID)", "requirement-published", .object(publication))
        var awards = [Award]()
        let base = Int64(random.int(1000...3000)) * 100
        for provider in invited {
            // Every invitee of a single-provider route offers; otherwise the first always does, others 70%, up to 4.
            let offers = single || awards.isEmpty || (awards.count < 4 && random.chance(70))
            guard offers else { continue }
            let price = base + Int64(random.int(-200...200)) * 100
            awards.append(Award(offer: "O\(awards.count + 1)", provider: provider, pricePence: price))
        }
        if let consortium, random.chance(70) {
            awards.append(
                Award(
                    offer: "O\(awards.count + 1)",
                    consortium: consortium,
                    pricePence: base + Int64(random.int(-200...200)) * 100
                )
            )
        }
        for award in awards {
            var offer: [String: JSONValue] = [
                "offerId": .string(award.offer), "pricePence": .number(JSONNumber(award.pricePence)),
                "outcomes": .array(outcomes.map { .string($0.0) }),
            ]
            if let provider = award.provider { offer["provider"] = .string(provider) }
            if let consortium = award.consortium { offer["consortium"] = .string(consortium.id) }
            append("requirement-\(requirementID)", "offer-submitted", .object(offer), actor: "bidder:\(award.offer)")
        }
        let chosen = select(from: awards, evaluate: route != "spot-purchase", random: &random, totals: &totals)
        for provider in invited {
            let sizes =
                [population.scales[provider] ?? "?"] + (population.voluntary.contains(provider) ? ["voluntary"] : [])
            for size in sizes {
                var access = totals.access[size] ?? ScenarioReckoning.Access()
                access.invited += 1
                if awards.contains(where: { $0.provider == provider }) { access.responded += 1 }
                if chosen.provider == provider { access.selected += 1 }
                totals.access[size] = access
            }
        }
        return chosen
    }

    private mutating func select(
        from offers: [Award],
        evaluate: Bool,
        random: inout ScenarioRandom,
        totals: inout ScenarioReckoning.Commissioner
    ) -> Award {
        var ranked = offers
        if evaluate {
            let qualityBp = random.pick([6000, 7000, 8000])
            var scored = [(award: Award, quality: Int, price: Int, combined: Int)]()
            for offer in offers {
                let quality = random.int(30...95) * 100
                let price = random.int(30...95) * 100
                scored.append(
                    (offer, quality, price, (quality * qualityBp + price * (10_000 - qualityBp) + 5000) / 10_000)
                )
            }
            scored.sort { $0.combined != $1.combined ? $0.combined > $1.combined : $0.award.offer < $1.award.offer }
            ranked = scored.map(\.award)
            append(
                "requirement-\(requirementID)",
                "offers-evaluated",
                [
                    "weighting": [
                        "qualityBp": .number(JSONNumber(qualityBp)), "priceBp": .number(JSONNumber(10_000 - qualityBp)),
                    ],
                    "scores": .array(
                        scored.map {
                            [
                                "offerId": .string($0.award.offer), "qualityScore": .number(JSONNumber($0.quality)),
                                "priceScore": .number(JSONNumber($0.price)),
                            ]
                        }
                    ),
                    "ranking": .array(scored.map { .string($0.award.offer) }),
                ],
                actor: "panel:evaluation"
            )
        }
        var selection: [String: JSONValue] = ["decidedBy": .string("panel:\(commissioner)-brokerage")]
        var chosen = ranked[0]
        var basis = random.weighted([
            ("capability", 62), ("price", 15), ("continuity", 8), ("capacity", 10), ("relationship", 5),
        ])
        if ranked.count > 1, random.chance(15) {
            chosen = ranked[1]
            totals.topRankedLost += 1
            let reason = random.weighted([
                ("declined", 25), ("no-capacity", 25), ("person-choice", 15), ("proximity", 10), ("specialist-need", 8),
                ("continuity-of-care", 7), ("siblings-together", 3), ("tribunal-order", 2), ("urgency", 3),
                ("safeguarding", 2),
            ])
            selection["reason"] = .string(reason)
            selection["rank"] = 2
            if reason == "person-choice" { basis = "person-choice" }
            if reason == "continuity-of-care" { basis = "continuity" }
        } else if evaluate {
            selection["rank"] = 1
        }
        selection["offerId"] = .string(chosen.offer)
        selection["basis"] = .string(basis)
        selection["rationale"] = .string("best meets the assessed outcomes within budget")
        append("requirement-\(requirementID)", "provider-selected", .object(selection))
        return chosen
    }

    // MARK: Contract

    private mutating func contract(
        _ award: Award,
        outcomes: [String],
        population: Population,
        random: inout ScenarioRandom,
        totals: inout ScenarioReckoning.Commissioner
    ) {
        totals.contracts += 1
        var terms = ContractTerms(random: &random, outcomes: outcomes, pricePence: award.pricePence)
        let start = 2026 * 12 + random.int(0...17)
        let months = random.int(3...9)
        var agreement: [String: JSONValue] = [
            "requirement": .string(requirementID), "commissioner": .string(commissioner),
            "offerId": .string(award.offer),
            "start": .string(Self.month(start) + "-01"), "payment": terms.json,
        ]
        if random.chance(30) { agreement["paymentTermsDays"] = .number(JSONNumber(random.pick([14, 28, 45]))) }
        // Who does the work, with their shares: the provider; or one consortium member, or now and then two sharing it
        // (never the last member, so that some consortia have members without work).
        var workers = award.provider.map { [(provider: $0, shareBp: Int64(10_000))] } ?? []
        if let provider = award.provider { agreement["provider"] = .string(provider) }
        if let consortium = award.consortium {
            let candidates = Array(consortium.members.prefix(max(1, consortium.members.count - 1)))
            let first = random.pick(candidates)
            agreement["consortium"] = .string(consortium.id)
            if candidates.count > 1, random.chance(50) {
                var second = random.pick(candidates)
                while second == first { second = random.pick(candidates) }
                let share = Int64(random.pick([5000, 6000, 6667]))
                workers = [(first, share), (second, 10_000 - share)]
                agreement["sharedBy"] = .array(
                    workers.map { ["provider": .string($0.provider), "shareBp": .number(JSONNumber($0.shareBp))] }
                )
            } else {
                workers = [(first, 10_000)]
                agreement["deliveredBy"] = .string(first)
            }
        }
        // The provider doing the most of the work (the first listed of those tied), whose rating a reward reads.
        let doer = workers.max { $0.shareBp < $1.shareBp }?.provider
        /// `amount` shared among the workers by their shares.
        func byWorker(_ amount: Int64) -> [(provider: String, amount: Int64)] {
            zip(workers, Money.shares(amount, workers.map(\.shareBp))).map { ($0.provider, $1) }
        }
        if random.chance(25) {
            let steady = doer.flatMap { population.steady.contains($0) ? population.ratings[$0] : nil }
            terms.quality = steady.map { random.chance(50) ? .rating($0) : .score } ?? .score
            agreement["payment"] = terms.json
        }
        // Now and then the commissioner pools the contract's budget with another (section 75), hosting it.
        var pool: [(commissioner: String, shareBp: Int64)] = []
        if population.commissioners.count > 1, random.chance(10) {
            var partner = random.pick(population.commissioners)
            while partner == commissioner { partner = random.pick(population.commissioners) }
            let hostShare = Int64(random.pick([5000, 6000, 7000]))
            pool = [(commissioner, hostShare), (partner, 10_000 - hostShare)]
            let listed = random.chance(50) ? pool : pool.reversed()
            agreement["pool"] = .array(
                listed.map { ["commissioner": .string($0.commissioner), "shareBp": .number(JSONNumber($0.shareBp))] }
            )
        }
        append("contract-\(contractID)", "contract-agreed", .object(agreement))
        // Now and then a provider fails or hands its contract back, and another takes it over mid-month (not a
        // contract rewarding quality by rating: the new holder's rating would decide it; nor a pooled one).
        var handover: Handover?
        if let provider = award.provider, months > 1, terms.quality?.isByRating != true, pool.isEmpty,
            random.chance(8)
        {
            var successor = random.pick(population.providers)
            while successor == provider { successor = random.pick(population.providers) }
            handover = Handover(
                from: provider,
                to: successor,
                month: start + random.int(1...months - 1),
                day: random.int(2...28)
            )
        }
        let variedFrom = terms.model == "task-and-time" && random.chance(10) ? random.int(1...months - 1) : nil
        // Amounts carried into a month: recoveries (earned there), and credits of earlier months offset against it at
        // each tier. A recovery after the last month makes a month of its own.
        var recoveries = [Int: [(month: Int, amount: Int64)]]()
        var offsetsIn = [Int: Int64]()
        var memberOffsetsIn = [String: [Int: Int64]]()
        for offset in 0...months {
            guard offset < months || recoveries[offset] != nil else { break }
            let period = Self.month(start + offset)
            if let handover, handover.month == start + offset {
                append(
                    "contract-\(contractID)",
                    "contract-transferred",
                    [
                        "on": .string(period + "-" + Population.padded(handover.day, 2)),
                        "provider": .string(handover.to),
                        "reason": .string(random.pick(["provider-failed", "handed-back", "commissioner-decision"])),
                    ]
                )
            }
            if offset == variedFrom {
                terms.unitRatePence = terms.unitRatePence * 105 / 100
                append(
                    "contract-\(contractID)",
                    "contract-varied",
                    ["from": .string(period), "reason": "annual uplift", "payment": terms.json]
                )
            }
            // Now and then the service pauses (a hospital stay) in a month a recovery falls in, leaving it in credit.
            let delivers = offset < months && !(recoveries[offset] != nil && random.chance(40))
            let parts = delivers ? month(period, terms: terms, random: &random) : []
            let recovered = recoveries[offset] ?? []
            let earned = parts.reduce(0, +) - recovered.reduce(0) { $0 + $1.amount }
            // Each holder's share: of what the month earned by its days, of each recovery by its days in the month
            // recovered.
            var shares = [String: Int64]()
            if let doer {
                let held = holders(start + offset, doer: doer, handover: handover)
                for part in parts {
                    for (holder, share) in zip(held, Money.shares(part, held.map(\.days))) {
                        shares[holder.provider, default: 0] += share
                    }
                }
                for recovery in recovered {
                    let owing = holders(recovery.month, doer: doer, handover: handover)
                    for (holder, share) in zip(owing, Money.shares(-recovery.amount, owing.map(\.days))) {
                        shares[holder.provider, default: 0] += share
                    }
                }
            }
            var due = earned + (offsetsIn[offset] ?? 0)
            var refunded: Int64 = 0
            if due < 0 {
                let settled = settleCredit(-due, month: start + offset, later: offset < months - 1, random: &random)
                if settled == .offset { offsetsIn[offset + 1] = due }
                if pool.isEmpty { totals.settle(-due, settled, member: false) }
                if settled == .refund { refunded = -due }
                if settled == .offset { due = 0 }
            }
            let paid: Bool
            if pool.isEmpty {
                totals.duePence += due
                // An offset of a credit moves it between months of the same holder (the last day's, naming none).
                if let doer {
                    let last = holders(start + offset, doer: doer, handover: handover).last?.provider ?? doer
                    shares[last, default: 0] += due - earned
                }
                // Shared work: each member its share of the month's money (no handover shares it otherwise).
                let doers = workers.count > 1 ? byWorker(due) : shares.map { ($0.key, $0.value) }
                for (provider, share) in doers {
                    if population.voluntary.contains(provider) { totals.vcseDuePence += share }
                    totals.dueByDoer[provider, default: 0] += share
                }
                let oldShare = handover.flatMap { $0.month == start + offset ? ($0.from, shares[$0.from] ?? 0) : nil }
                paid = pay(period, due: due, last: offset >= months - 1, named: oldShare, random: &random)
                if paid { totals.paidPence += due }
            } else {
                // Each partner's share of every amount: of each part earned, of the adjustments (recoveries and
                // offsets), and of refunds; each pays its own.
                let weights = pool.map(\.shareBp)
                var dueShares = [Int64](repeating: 0, count: pool.count)
                for component in parts + [due - parts.reduce(0, +)] {
                    for (index, share) in Money.shares(component, weights).enumerated() { dueShares[index] += share }
                }
                let refundShares = Money.shares(refunded, weights)
                let payers = zip(pool, dueShares).map { ($0.commissioner, $1) }
                paid = pay(period, due: due, last: offset >= months - 1, payers: payers, random: &random)
                for (index, partner) in pool.enumerated() {
                    let share = dueShares[index]
                    let paidShare = paid && share > 0 ? share : 0
                    reckon(partner.commissioner, host: &totals) { partnerTotals in
                        partnerTotals.duePence += share
                        partnerTotals.paidPence += paidShare
                        partnerTotals.refundedPence += refundShares[index]
                        partnerTotals.creditPence += max(0, paidShare - share - refundShares[index])
                        for (provider, part) in byWorker(share) {
                            if population.voluntary.contains(provider) { partnerTotals.vcseDuePence += part }
                            partnerTotals.dueByDoer[provider, default: 0] += part
                        }
                    }
                }
            }
            // Each member doing (a share of) the work is owed its share less the integrator's fee.
            for (member, memberEarned) in byWorker(earned) {
                guard let consortium = award.consortium, member != consortium.integrator else { continue }
                var memberDue = memberEarned - Money.basisPoints(memberEarned, Int64(consortium.feeBp))
                memberDue += memberOffsetsIn[member]?[offset] ?? 0
                if memberDue > 0, random.chance(85) {
                    append(
                        "contract-\(contractID)",
                        "payment-made",
                        [
                            "period": .string(period), "amountPence": .number(JSONNumber(memberDue)),
                            "paidOn": .string(Self.day(start + offset, plus: random.int(10...60))),
                            "member": .string(member),
                        ],
                        actor: "integrator:\(consortium.id)"
                    )
                    totals.memberPaidPence += memberDue
                } else if memberDue < 0 {
                    let settled = settleCredit(
                        -memberDue,
                        month: start + offset,
                        later: offset < months - 1,
                        member: member,
                        random: &random
                    )
                    if settled == .offset {
                        memberOffsetsIn[member, default: [:]][offset + 1] = memberDue
                        memberDue = 0
                    }
                    totals.settle(-memberDue, settled, member: true)
                }
                totals.memberDuePence += memberDue
            }
            if paid, random.chance(4) {
                let lines = withdraw(all: random.chance(50), cap: terms.capPence)
                recoveries[offset + 1, default: []] += lines.map { (start + offset, $0) }
            }
        }
        append(
            "contract-\(contractID)",
            "contract-ended",
            ["endedOn": .string(Self.day(start + months - 1, plus: 0)), "reason": "completed"]
        )
    }

    /// Partners' totals of pooled contracts, added to the reckoning with the case's own.
    private var partnerTotals: [String: ScenarioReckoning.Commissioner] = [:]

    /// Changes the totals of `commissioner`: the case's own (`host`) or a pool partner's.
    private mutating func reckon(
        _ commissioner: String,
        host: inout ScenarioReckoning.Commissioner,
        _ change: (inout ScenarioReckoning.Commissioner) -> Void
    ) {
        if commissioner == self.commissioner {
            change(&host)
        } else {
            change(&partnerTotals[commissioner, default: ScenarioReckoning.Commissioner()])
        }
    }

    /// A contract moving from one provider to another from a day of a month.
    struct Handover {
        var from: String
        var to: String
        /// The month index (months since January of year 0) and day of the month the new holder holds it from.
        var month: Int
        var day: Int
    }

    /// The holders of month `index` of a contract `doer` holds unless `handover` moved it, and the days each held it,
    /// the first holder first.
    private func holders(_ index: Int, doer: String, handover: Handover?) -> [(provider: String, days: Int64)] {
        guard let handover, index >= handover.month else { return [(doer, 1)] }
        guard index == handover.month else { return [(handover.to, 1)] }
        let length = Int64(Self.lengthOfMonth(index))
        return [(handover.from, Int64(handover.day - 1)), (handover.to, length - Int64(handover.day - 1))]
    }

    /// Population outcome money paid so far under the contract, against its maximum.
    private var populationPaid: Int64 = 0

    /// Verified outcome lines of the month just planned: label of the measurement and its payable amount.
    private var verifiedThisMonth: [(label: Int, amount: Int64)] = []

    /// Plans one month's delivery and outcomes; returns what became due (before recoveries), in the parts a handover
    /// shares separately: the fee (core or task-and-time), the reward for quality, and outcome money.
    private mutating func month(_ period: String, terms: ContractTerms, random: inout ScenarioRandom) -> [Int64] {
        let stream = "contract-\(contractID)"
        let units = Int64(random.int(10...80))
        append(
            stream,
            "service-delivered",
            ["period": .string(period), "units": .number(JSONNumber(units))],
            actor: "provider:system"
        )
        if terms.model == "task-and-time", random.chance(4) {
            let mistake = append(
                stream,
                "service-delivered",
                ["period": .string(period), "units": .number(JSONNumber(units))],
                actor: "provider:system",
                labelled: true
            )
            append(
                stream,
                "correction",
                ["reason": "duplicate delivery record"],
                reference: ("retracts", mistake)
            )
        }
        verifiedThisMonth = []
        let fee = terms.model == "task-and-time" ? units * terms.unitRatePence : terms.corePence
        let quality = reward(fee, period, terms: terms, random: &random)
        guard terms.model != "task-and-time" else { return [fee, quality] }
        var outcomeDue: Int64 = 0
        for outcome in terms.outcomes {
            let attainment = random.weighted([("achieved", 60), ("partial", 25), ("not-achieved", 15)])
            let label = append(
                stream,
                "outcome-measured",
                [
                    "period": .string(period), "outcome": .string(outcome), "attainment": .string(attainment),
                    "evidenceRef": .string("review-\(contractID)-\(period)-\(outcome)"),
                ],
                actor: "provider:system",
                labelled: true
            )
            let decision = random.weighted([("outcome-verified", 85), ("outcome-rejected", 5), ("pending", 10)])
            if decision == "pending" { continue }
            var data: [String: JSONValue] = ["by": "role:quality-officer"]
            if decision == "outcome-rejected" { data["reason"] = "evidence does not cover the period" }
            append(stream, decision, .object(data), reference: ("measurement", label))
            guard decision == "outcome-verified" else { continue }
            let amount = terms.payable(outcome, attainment: attainment)
            outcomeDue += amount
            verifiedThisMonth.append((label, amount))
        }
        if let cap = terms.capPence { outcomeDue = min(outcomeDue, cap) }
        return [fee, quality, outcomeDue + populationOutcome(period, terms: terms, random: &random)]
    }

    /// Measures the month's unplanned admissions across the neighbourhood, when the contract pays for them, and
    /// returns what the measurement earns once verified (nothing while it awaits verification).
    private mutating func populationOutcome(
        _ period: String,
        terms: ContractTerms,
        random: inout ScenarioRandom
    ) -> Int64 {
        guard let population = terms.population else { return 0 }
        let value = population.baseline + Int64(random.int(-30...15))
        let label = append(
            "contract-\(contractID)",
            "population-outcome-measured",
            [
                "period": .string(period), "measure": "unplanned-admissions",
                "cohort": .string("neighbourhood-\(commissioner)-\(contractID)"), "value": .number(JSONNumber(value)),
                "evidenceRef": .string("sus-\(period)"),
            ],
            actor: "analyst:\(commissioner)",
            labelled: true
        )
        guard random.chance(90) else { return 0 }
        append(
            "contract-\(contractID)",
            "outcome-verified",
            ["by": "role:population-health"],
            reference: ("measurement", label)
        )
        var amount = max(0, population.baseline - value) * population.ratePence
        if let maximum = population.maxPence { amount = min(amount, maximum - populationPaid) }
        populationPaid += amount
        return amount
    }

    /// The month's reward for quality on `fee` (scoring the month first when the reward is by score).
    private mutating func reward(
        _ fee: Int64,
        _ period: String,
        terms: ContractTerms,
        random: inout ScenarioRandom
    ) -> Int64 {
        guard let quality = terms.quality, fee > 0 else { return 0 }
        var score: Int64 = 0
        if case .score = quality {
            score = Int64(random.int(30...100)) * 100
            append(
                "contract-\(contractID)",
                "quality-assessed",
                [
                    "period": .string(period), "score": .number(JSONNumber(score)),
                    "evidenceRef": .string("visit-\(contractID)-\(period)"),
                ],
                actor: "role:contract-monitoring"
            )
        }
        return quality.adjustmentBp(score: score).map { Money.basisPoints(fee, $0) } ?? 0
    }

    /// Approves and pays `due` for the period (sometimes late, sometimes not yet for the last month), paying a `named`
    /// holder its share apart; returns whether it was paid.
    private mutating func pay(
        _ period: String,
        due: Int64,
        last: Bool,
        named: (provider: String, share: Int64)? = nil,
        payers: [(commissioner: String, share: Int64)] = [],
        random: inout ScenarioRandom
    ) -> Bool {
        guard due > 0 else { return false }
        let stream = "contract-\(contractID)"
        let amount: JSONValue = .number(JSONNumber(due))
        append(stream, "payment-approved", ["period": .string(period), "amountPence": amount])
        guard !(last && random.chance(25)) else { return false }
        let index = Int(period.prefix(4)).map { $0 * 12 } ?? 0
        let monthIndex = index + (Int(period.suffix(2)) ?? 1) - 1
        let paidOn = JSONValue.string(Self.day(monthIndex, plus: random.int(3...40)))
        var rest = due
        if let named, named.share > 0, named.share < due {
            let share: JSONValue = [
                "period": .string(period), "amountPence": .number(JSONNumber(named.share)), "paidOn": paidOn,
                "provider": .string(named.provider),
            ]
            append(stream, "payment-made", share, actor: "finance:\(commissioner)")
            rest -= named.share
        }
        // Each partner of a pool pays its own share (the host naming no payer).
        for payer in payers.dropFirst() where payer.share > 0 {
            let share: JSONValue = [
                "period": .string(period), "amountPence": .number(JSONNumber(payer.share)), "paidOn": paidOn,
                "payer": .string(payer.commissioner),
            ]
            append(stream, "payment-made", share, actor: "finance:\(payer.commissioner)")
        }
        if let host = payers.first { rest = host.share }
        guard rest > 0 else { return true }
        let payment: JSONValue = [
            "period": .string(period), "amountPence": .number(JSONNumber(rest)), "paidOn": paidOn,
        ]
        append(stream, "payment-made", payment, actor: "finance:\(commissioner)")
        if random.chance(2) {
            let duplicate = append(stream, "payment-made", payment, actor: "finance:\(commissioner)", labelled: true)
            append(stream, "correction", ["reason": "payment recorded twice"], reference: ("retracts", duplicate))
        }
        return true
    }

    /// How a credit was settled.
    enum CreditSettling {
        case offset, refund, outstanding
    }

    /// Settles a month's credit (a recovery larger than the month earned), at the first tier or with `member` at the
    /// second: offset against the next month (when there is a `later` one), refunded, or left outstanding.
    private mutating func settleCredit(
        _ credit: Int64,
        month: Int,
        later: Bool,
        member: String? = nil,
        random: inout ScenarioRandom
    ) -> CreditSettling {
        var data: [String: JSONValue] = [
            "period": .string(Self.month(month)), "amountPence": .number(JSONNumber(credit)),
        ]
        if let member { data["member"] = .string(member) }
        let settling: CreditSettling =
            later && random.chance(50) ? .offset : random.weighted([(.refund, 60), (.outstanding, 40)])
        switch settling {
        case .offset:
            data["against"] = .string(Self.month(month + 1))
            append("contract-\(contractID)", "credit-offset", .object(data), actor: "finance:\(commissioner)")
        case .refund:
            data["refundedOn"] = .string(Self.day(month, plus: random.int(10...40)))
            append("contract-\(contractID)", "credit-refunded", .object(data), actor: "finance:\(commissioner)")
        case .outstanding:
            break
        }
        return settling
    }

    /// Withdraws the verification of the first paid outcome of the month just planned, or of `all` of them; returns the
    /// amounts to recover, one per line: what each added to the month's outcome money, the per-period `cap` being
    /// filled line by line in order (none for a line that added nothing).
    private mutating func withdraw(all: Bool, cap: Int64?) -> [Int64] {
        var left = cap ?? .max
        var recovered = [Int64]()
        for line in verifiedThisMonth {
            let paid = min(line.amount, left)
            left -= paid
            guard paid > 0 else { continue }
            append(
                "contract-\(contractID)",
                "outcome-verification-withdrawn",
                ["reason": "post-payment sample check failed"],
                reference: ("measurement", line.label)
            )
            recovered.append(paid)
            if !all { break }
        }
        return recovered
    }

    // MARK: Helpers

    @discardableResult
    private mutating func append(
        _ stream: String,
        _ type: String,
        _ data: JSONValue,
        actor: String? = nil,
        labelled: Bool = false,
        reference: (field: String, label: Int)? = nil
    ) -> Int {
        nextLabel += 1
        events.append(
            ScriptedEvent(
                stream: stream,
                type: type,
                data: data,
                actor: actor ?? self.actor,
                label: labelled ? nextLabel : nil,
                reference: reference
            )
        )
        return nextLabel
    }

    /// `YYYY-MM` of a month index (months since January of year 0).
    static func month(_ index: Int) -> String {
        Population.padded(index / 12, 4) + "-" + Population.padded(index % 12 + 1, 2)
    }

    /// The number of days in month `index`.
    static func lengthOfMonth(_ index: Int) -> Int {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let (year, month) = (index / 12, index % 12)
        return month == 1 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : lengths[month]
    }

    /// The date `days` after the last day of month `index`, as `YYYY-MM-DD`.
    static func day(_ index: Int, plus days: Int) -> String {
        var year = index / 12
        var month = index % 12
        func length() -> Int { lengthOfMonth(year * 12 + month) }
        var day = length() + days
        while day > length() {
            day -= length()
            month += 1
            if month == 12 {
                month = 0
                year += 1
            }
        }
        return Population.padded(year, 4) + "-" + Population.padded(month + 1, 2) + "-" + Population.padded(day, 2)
    }
}
