extension SettlementRow {
    /// The stored form's version; a row stored in another is not read.
    static let storedFormat: UInt8 = 4

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
        if let passThrough {
            writer.byte(1)
            writer.text(passThrough.integrator)
            writer.text(passThrough.member)
            for figure in [
                passThrough.earnedPence, passThrough.feePence, passThrough.adjustmentsPence, passThrough.duePence,
                passThrough.paidPence, passThrough.refundedPence,
            ] {
                writer.int(figure)
            }
            writer.int(passThrough.paidOn.map { Int64($0.ordinal) } ?? .min)
        } else {
            writer.byte(0)
        }
        writer.int(Int64(holders.count))
        for share in holders {
            switch share.holder {
            case .provider(let id):
                writer.byte(0)
                writer.text(id)
            case .consortium(let id):
                writer.byte(1)
                writer.text(id)
            }
            writer.int(Int64(share.days))
            for figure in [
                share.core, share.outcome, share.taskAndTime, share.quality, share.adjustments, share.approved,
                share.paid, share.refunded, share.withheldTotal,
            ] {
                writer.int(figure)
            }
            writer.int(share.paidOn.map { Int64($0.ordinal) } ?? .min)
        }
        writer.int(Int64(lateAt))
        writer.int(Int64(memberLateAt ?? -1))
        writer.int(Int64(tierAt))
        writer.int(Int64(json.count))
        writer.bytes += json
        return writer.bytes
    }

    /// The row `stored` wrote; nil when `bytes` are not such a row.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        func day(_ ordinal: Int64?) -> Day?? {
            guard let ordinal else { return nil }
            guard ordinal != .min else { return .some(nil) }
            guard let days = Int(exactly: ordinal), abs(days) < 10_000_000 else { return nil }
            return Day(ordinal: days)
        }
        guard reader.byte() == Self.storedFormat, let index = reader.int().flatMap(Int32.init(exactly:)),
            case .some(.some(let dueOn)) = day(reader.int()), case .some(let paidOn) = day(reader.int()),
            let core = reader.int(), let outcome = reader.int(), let taskAndTime = reader.int(),
            let quality = reader.int(),
            let adjustments = reader.int(), let approved = reader.int(), let paid = reader.int(),
            let refunded = reader.int(), let withheldTotal = reader.int(), let hasPassThrough = reader.byte()
        else { return nil }
        var passThrough: PeriodSettlement.PassThrough?
        if hasPassThrough == 1 {
            guard let integrator = reader.text(), let member = reader.text(), let earned = reader.int(),
                let fee = reader.int(), let memberAdjustments = reader.int(), let due = reader.int(),
                let memberPaid = reader.int(), let memberRefunded = reader.int(),
                case .some(let memberPaidOn) = day(reader.int())
            else { return nil }
            passThrough = PeriodSettlement.PassThrough(
                integrator: integrator,
                member: member,
                earnedPence: earned,
                feePence: fee,
                adjustmentsPence: memberAdjustments,
                duePence: due,
                paidPence: memberPaid,
                refundedPence: memberRefunded,
                paidOn: memberPaidOn
            )
        }
        guard let holderCount = reader.offset(within: reader.remaining.count / 8) else { return nil }
        var holders = [HolderShare]()
        for _ in 0..<holderCount {
            guard let kind = reader.byte(), kind <= 1, let id = reader.text(),
                let days = reader.int().flatMap(Int.init(exactly:)), (0...31).contains(days),
                let core = reader.int(), let outcome = reader.int(), let taskAndTime = reader.int(),
                let quality = reader.int(), let adjustments = reader.int(), let approved = reader.int(),
                let paid = reader.int(), let refunded = reader.int(), let withheldTotal = reader.int(),
                case .some(let paidOn) = day(reader.int())
            else { return nil }
            var share = HolderShare(
                holder: kind == 0 ? .provider(id) : .consortium(id),
                days: days,
                period: Period(index: index),
                dueOn: dueOn
            )
            share.core = core
            share.outcome = outcome
            share.taskAndTime = taskAndTime
            share.quality = quality
            share.adjustments = adjustments
            share.approved = approved
            share.paid = paid
            share.refunded = refunded
            share.withheldTotal = withheldTotal
            share.paidOn = paidOn
            holders.append(share)
        }
        guard let lateAt = reader.int().flatMap(Int.init(exactly:)), let memberLateAt = reader.int(),
            let tierAt = reader.int().flatMap(Int.init(exactly:)), let count = reader.int(),
            count == reader.remaining.count, lateAt >= 0, lateAt < count, tierAt > lateAt, tierAt < count,
            (memberLateAt == -1) == (passThrough == nil),
            memberLateAt == -1 || (memberLateAt > lateAt && memberLateAt < tierAt)
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
        self.passThrough = passThrough
        self.holders = holders
        self.json = Array(reader.remaining)
        self.lateAt = lateAt
        self.memberLateAt = memberLateAt == -1 ? nil : Int(memberLateAt)
        self.tierAt = tierAt
        guard flagsInPlace else { return nil }
    }

    /// Whether `json` holds each `late` flag's stored value where the row says, so a copy never reads out of bounds.
    private var flagsInPlace: Bool {
        func holds(_ value: Bool, at start: Int, before end: Int) -> Bool {
            let text = Array((value ? "true" : "false").utf8)
            return start + text.count <= end && json[start..<(start + text.count)].elementsEqual(text)
        }
        return holds(isLate(today: nil), at: lateAt, before: memberLateAt ?? tierAt)
            && (memberLateAt.map { holds(isMemberLate(today: nil), at: $0, before: tierAt) } ?? true)
    }
}
