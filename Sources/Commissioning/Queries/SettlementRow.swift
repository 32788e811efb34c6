import LedgerJSON

/// One contract's settlement for one period, kept for the queries across the log: its figures, and its `ROW` JSON as
/// `PeriodSettlement.json(today:)` writes it, with the places of the two `late` flags (the only parts that depend on
/// "today") and of a provider query's `tier`, so that an answer copies the bytes instead of computing them.
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
    let passThrough: PeriodSettlement.PassThrough?
    /// Each holder's share, when the contract changed holder (empty when the agreement's supplier held it alone).
    let holders: [PeriodShare]
    /// Each partner's share, for a pooled contract.
    let payers: [PeriodShare]
    /// The row as `json(today: nil)` writes it: a `late` flag then reads as if no day had come yet.
    let json: [UInt8]
    /// Where the value of the row's `late` flag starts in `json`.
    let lateAt: Int
    /// Where the value of the pass-through's `late` flag starts, when there is a pass-through.
    let memberLateAt: Int?
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
        passThrough = settlement.passThrough
        holders = settlement.holders
        payers = settlement.payers
        var json = [UInt8]()
        settlement.json(today: nil).write(to: &json)
        self.json = json
        // In the canonical (sorted) order, the row's `late` is the first key named so (the keys before it hold numbers
        // and dates), the pass-through's the last (the keys after it hold no object with such a key), and `withheld`
        // is the last top-level key but one.
        let late = Self.ranges(of: #""late":"#, in: json)
        let withheld = Self.ranges(of: #","withheld":"#, in: json)
        guard let first = late.first, let last = late.last, let tier = withheld.last?.lowerBound else {
            preconditionFailure("a settlement row without its late flag or withheld list")
        }
        lateAt = first.upperBound
        memberLateAt = passThrough == nil ? nil : last.upperBound
        tierAt = tier
        precondition(memberLateAt.map { $0 > lateAt && $0 < tierAt } ?? true, "pass-through out of place in a row")
    }

    /// The row's month (`Period.index`).
    public var month: Int32 { period.index }

    /// Whether a provider query about `provider` lists the row, in a contract with `parties`: as its contractor (or a
    /// holder's share), its consortium's integrator, or the member it passes money through to.
    public func concerns(provider: String, parties: ContractParties) -> Bool {
        guard holders.isEmpty else {
            return passThrough?.member == provider
                || holders.contains { $0.party == .holder(.provider(provider)) }
                || (parties.integrator == provider && holders.contains { $0.holder?.provider == nil })
        }
        return parties.contractor == provider || parties.integrator == provider || passThrough?.member == provider
    }

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
        if let memberLateAt {
            flag(at: memberLateAt, stored: isMemberLate(today: nil), now: isMemberLate(today: today))
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
