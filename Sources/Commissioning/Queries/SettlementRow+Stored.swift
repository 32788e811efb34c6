extension SettlementRow {
    /// The stored form's version; a row stored in another is not read.
    static let storedFormat: UInt8 = 6

    /// The row as a read model stores it: its figures, then its JSON.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        writer.byte(Self.storedFormat)
        writer.int(Int64(period.index))
        writer.int(Int64(dueOn.ordinal))
        writer.int(paidOn.map { Int64($0.ordinal) } ?? .min)
        for figure in [core, outcome, taskAndTime, quality, adjustments, approved, paid, refunded, withheldTotal] {
            writer.int(figure)
        }
        writer.int(integratorOwnPence)
        writer.int(Int64(passThroughs.count))
        for passThrough in passThroughs { passThrough.write(to: &writer) }
        for shares in [holders, payers] {
            writer.int(Int64(shares.count))
            for share in shares { share.write(to: &writer) }
        }
        writer.int(Int64(lateAt))
        for start in memberLateAts { writer.int(Int64(start)) }
        writer.int(Int64(tierAt))
        writer.int(Int64(json.count))
        writer.bytes += json
        return writer.bytes
    }

    /// The row `stored` wrote; nil when `bytes` are not such a row.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard reader.byte() == Self.storedFormat, let index = reader.int().flatMap(Int32.init(exactly:)),
            case .some(.some(let dueOn)) = reader.day(), case .some(let paidOn) = reader.day(),
            let core = reader.int(), let outcome = reader.int(), let taskAndTime = reader.int(),
            let quality = reader.int(),
            let adjustments = reader.int(), let approved = reader.int(), let paid = reader.int(),
            let refunded = reader.int(), let withheldTotal = reader.int(), let integratorOwn = reader.int(),
            let passThroughCount = reader.offset(within: reader.remaining.count / 8)
        else { return nil }
        var passThroughs = [PeriodSettlement.PassThrough]()
        for _ in 0..<passThroughCount {
            guard let passThrough = PeriodSettlement.PassThrough(from: &reader) else { return nil }
            passThroughs.append(passThrough)
        }
        var lists = [[PeriodShare]]()
        for _ in 0..<2 {
            guard let count = reader.offset(within: reader.remaining.count / 8) else { return nil }
            var shares = [PeriodShare]()
            for _ in 0..<count {
                guard let share = PeriodShare(from: &reader, period: Period(index: index), dueOn: dueOn) else {
                    return nil
                }
                shares.append(share)
            }
            lists.append(shares)
        }
        guard let lateAt = reader.int().flatMap(Int.init(exactly:)) else { return nil }
        var memberLateAts = [Int]()
        for _ in passThroughs {
            guard let start = reader.int().flatMap(Int.init(exactly:)), start > (memberLateAts.last ?? lateAt) else {
                return nil
            }
            memberLateAts.append(start)
        }
        guard let tierAt = reader.int().flatMap(Int.init(exactly:)), let count = reader.int(),
            count == reader.remaining.count, lateAt >= 0, count > tierAt, tierAt > (memberLateAts.last ?? lateAt)
        else { return nil }
        self.period = Period(index: index)
        self.dueOn = dueOn
        self.paidOn = paidOn
        self.core = core
        self.outcome = outcome
        self.taskAndTime = taskAndTime
        self.quality = quality
        self.adjustments = adjustments
        self.approved = approved
        self.paid = paid
        self.refunded = refunded
        self.withheldTotal = withheldTotal
        self.integratorOwnPence = integratorOwn
        self.passThroughs = passThroughs
        self.holders = lists[0]
        self.payers = lists[1]
        self.json = Array(reader.remaining)
        self.lateAt = lateAt
        self.memberLateAts = memberLateAts
        self.tierAt = tierAt
        guard flagsInPlace else { return nil }
    }

    /// Whether `json` holds each `late` flag's stored value where the row says, so a copy never reads out of bounds.
    private var flagsInPlace: Bool {
        func holds(_ value: Bool, at start: Int, before end: Int) -> Bool {
            let text = Array((value ? "true" : "false").utf8)
            return start + text.count <= end && json[start..<(start + text.count)].elementsEqual(text)
        }
        let starts = [lateAt] + memberLateAts
        let flags = [isLate(today: nil)] + passThroughs.map { $0.isLate(dueOn: dueOn, today: nil) }
        return starts.indices.allSatisfy { index in
            holds(flags[index], at: starts[index], before: index + 1 < starts.count ? starts[index + 1] : tierAt)
        }
    }
}

extension PeriodSettlement.PassThrough {
    /// Writes the pass-through for a stored row.
    fileprivate func write(to writer: inout StoredBytes.Writer) {
        writer.text(integrator)
        writer.text(member)
        for figure in [shareBp, earnedPence, feePence, adjustmentsPence, duePence, paidPence, refundedPence] {
            writer.int(figure)
        }
        writer.int(paidOn.map { Int64($0.ordinal) } ?? .min)
    }

    /// The pass-through `write(to:)` wrote; nil when the bytes are not one.
    fileprivate init?(from reader: inout StoredBytes.Reader) {
        guard let integrator = reader.text(), let member = reader.text(), let shareBp = reader.int(),
            (0...10_000).contains(shareBp), let earned = reader.int(), let fee = reader.int(),
            let adjustments = reader.int(), let due = reader.int(), let paid = reader.int(),
            let refunded = reader.int(), case .some(let paidOn) = reader.day()
        else { return nil }
        self.init(
            integrator: integrator,
            member: member,
            shareBp: shareBp,
            earnedPence: earned,
            feePence: fee,
            adjustmentsPence: adjustments,
            duePence: due,
            paidPence: paid,
            refundedPence: refunded,
            paidOn: paidOn
        )
    }
}

extension PeriodShare {
    /// Writes the share for a stored row (its period and due date are the row's).
    fileprivate func write(to writer: inout StoredBytes.Writer) {
        switch party {
        case .holder(.provider(let id)):
            writer.byte(0)
            writer.text(id)
        case .holder(.consortium(let id)):
            writer.byte(1)
            writer.text(id)
        case .payer(let id):
            writer.byte(2)
            writer.text(id)
        }
        writer.int(weight)
        for figure in [core, outcome, taskAndTime, quality, adjustments, approved, paid, refunded, withheldTotal] {
            writer.int(figure)
        }
        writer.int(paidOn.map { Int64($0.ordinal) } ?? .min)
    }

    /// The share `write(to:)` wrote, of a row of `period` due on `dueOn`; nil when the bytes are not such a share.
    fileprivate init?(from reader: inout StoredBytes.Reader, period: Period, dueOn: Day) {
        guard let kind = reader.byte(), let id = reader.text(), let weight = reader.int(),
            (0...10_000).contains(weight), let core = reader.int(), let outcome = reader.int(),
            let taskAndTime = reader.int(), let quality = reader.int(), let adjustments = reader.int(),
            let approved = reader.int(), let paid = reader.int(), let refunded = reader.int(),
            let withheldTotal = reader.int(), case .some(let paidOn) = reader.day()
        else { return nil }
        let party: Party
        switch kind {
        case 0: party = .holder(.provider(id))
        case 1: party = .holder(.consortium(id))
        case 2: party = .payer(id)
        default: return nil
        }
        self.init(party, weight: weight, period: period, dueOn: dueOn)
        (self.core, self.outcome, self.taskAndTime, self.quality) = (core, outcome, taskAndTime, quality)
        (self.adjustments, self.approved, self.paid, self.refunded) = (adjustments, approved, paid, refunded)
        self.withheldTotal = withheldTotal
        self.paidOn = paidOn
    }
}
