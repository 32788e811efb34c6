import LedgerJSON

/// One contract's settlement for one period, kept for the queries across the log: its figures, and its `ROW` JSON as
/// `PeriodSettlement.json(today:)` writes it, with the places of its `late` flags (the row's and each pass-through's:
/// the only parts that depend on "today") and of a provider query's `tier`, so that an answer copies the bytes instead
/// of computing them.
public struct SettlementRow: SettlementFigures, Sendable, Equatable {
    let period: Period
    let dueOn: Day
    let paidOn: Day?
    let core: Int64
    let outcome: Int64
    let taskAndTime: Int64
    let quality: Int64
    let adjustments: Int64
    let approved: Int64
    let paid: Int64
    let refunded: Int64
    let withheldTotal: Int64
    let passThroughs: [PeriodSettlement.PassThrough]
    /// The integrator's own share of what the work earned, when it shares the work.
    let integratorOwnPence: Int64
    /// Each holder's share, when the contract changed holder (empty when the agreement's supplier held it alone).
    let holders: [PeriodShare]
    /// Each partner's share, for a pooled contract.
    let payers: [PeriodShare]
    /// The row as `json(today: nil)` writes it: a `late` flag then reads as if no day had come yet.
    let json: [UInt8]
    /// Where the value of the row's `late` flag starts in `json`.
    let lateAt: Int
    /// Where the value of each pass-through's `late` flag starts, in order.
    let memberLateAts: [Int]
    /// Where a `tier` member goes: before `,"withheld":`, the key after it in the canonical order.
    let tierAt: Int

    init(_ settlement: PeriodSettlement) {
        period = settlement.period
        dueOn = settlement.dueOn
        paidOn = settlement.paidOn
        core = settlement.core
        outcome = settlement.outcome
        taskAndTime = settlement.taskAndTime
        quality = settlement.quality
        adjustments = settlement.adjustments
        approved = settlement.approved
        paid = settlement.paid
        refunded = settlement.refunded
        withheldTotal = settlement.withheldTotal
        passThroughs = settlement.passThroughs
        integratorOwnPence = settlement.integratorOwnPence
        holders = settlement.holders
        payers = settlement.payers
        var json = [UInt8]()
        settlement.json(today: nil).write(to: &json)
        self.json = json
        // In the canonical (sorted) order, the row's `late` is the first key named so (the keys before it hold numbers,
        // dates and the holders' and payers' shares, which have none), the pass-throughs' follow in order (the keys
        // after them hold no object with such a key), and `withheld` is the last top-level key but one.
        let late = Self.ranges(of: #""late":"#, in: json)
        let withheld = Self.ranges(of: #","withheld":"#, in: json)
        guard let first = late.first, let tier = withheld.last?.lowerBound else {
            preconditionFailure("a settlement row without its late flag or withheld list")
        }
        lateAt = first.upperBound
        memberLateAts = late.dropFirst().map(\.upperBound)
        tierAt = tier
        precondition(memberLateAts.count == passThroughs.count, "a pass-through without its late flag")
        precondition(memberLateAts.allSatisfy { $0 > lateAt && $0 < tierAt }, "pass-through out of place in a row")
    }

    /// The row's month (`Period.index`).
    public var month: Int32 { period.index }

    /// Whether a provider query about `provider` lists the row, in a contract with `parties`: as its contractor (or a
    /// holder's share), its consortium's integrator, or the member it passes money through to.
    public func concerns(provider: String, parties: ContractParties) -> Bool {
        guard holders.isEmpty else {
            return passes(to: provider)
                || holders.contains { $0.party == .holder(.provider(provider)) }
                || (parties.integrator == provider && leadShare(parties) != nil)
        }
        return parties.contractor == provider || parties.integrator == provider || passes(to: provider)
    }

    /// What the integrator keeps of a period whose consortium's share is `due`: the fees on its members' earnings and
    /// its own share of the work, or everything when it passes nothing through.
    func integratorKeeps(ofDue due: Int64) -> Int64 {
        guard !passThroughs.isEmpty else { return due }
        return passThroughs.reduce(integratorOwnPence) { PenceMath.add($0, $1.feePence) }
    }

    /// The share of the consortium holding the contract (`parties`'), when the contract changed holder.
    func leadShare(_ parties: ContractParties) -> PeriodShare? {
        guard let consortium = parties.consortium else { return nil }
        return holders.first { $0.party == .holder(.consortium(consortium)) }
    }

    /// Whether the row passes money through to `member`.
    func passes(to member: String) -> Bool { passThroughs.contains { $0.member == member } }

    /// Writes the row's JSON as of `today`, with `"tier": tier` when given.
    func write(today: Day?, tier: String?, to buffer: inout [UInt8]) {
        var copied = 0
        func copy(upTo end: Int) {
            buffer.append(contentsOf: json[copied..<end])
            copied = end
        }
        func flag(at start: Int, stored: Bool, now: Bool) {
            copy(upTo: start)
            buffer.append(contentsOf: now ? Self.trueText : Self.falseText)
            copied = start + (stored ? Self.trueText.count : Self.falseText.count)
        }
        flag(at: lateAt, stored: isLate(today: nil), now: isLate(today: today))
        for (start, passThrough) in zip(memberLateAts, passThroughs) {
            flag(
                at: start,
                stored: passThrough.isLate(dueOn: dueOn, today: nil),
                now: passThrough.isLate(dueOn: dueOn, today: today)
            )
        }
        if let tier {
            copy(upTo: tierAt)
            buffer.append(contentsOf: #","tier":"#.utf8)
            JSONValue.string(tier).write(to: &buffer)
        }
        copy(upTo: json.count)
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    /// Every place `pattern` occurs in `bytes`.
    private static func ranges(of pattern: String, in bytes: [UInt8]) -> [Range<Int>] {
        let pattern = Array(pattern.utf8)
        return bytes.withUnsafeBufferPointer { haystack in
            pattern.withUnsafeBufferPointer { needle in
                guard let first = needle.first, haystack.count >= needle.count else { return [] }
                var found = [Range<Int>]()
                for start in 0...(haystack.count - needle.count) where haystack[start] == first {
                    var matched = 1
                    while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { found.append(start..<(start + needle.count)) }
                }
                return found
            }
        }
    }
}
