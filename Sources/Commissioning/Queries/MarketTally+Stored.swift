extension MarketTally {
    /// The stored form: the counters, then each map as its size and its entries.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        for counter in counters { writer.int(counter) }
        for map in [
            routes, bases, reasons, consortia, spendByHolder, settlementsByHolder, worked, access, spendByDoer,
            monthsByDoer,
        ] {
            writer.int(Int64(map.count))
            for (key, value) in map.sorted(by: { $0.key < $1.key }) {
                writer.text(key)
                writer.int(value)
            }
        }
        for map in [unpaidByDueOn, memberUnpaidByDueOn] {
            writer.int(Int64(map.count))
            for (key, value) in map.sorted(by: { $0.key < $1.key }) {
                writer.int(key)
                writer.int(value)
            }
        }
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a tally.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let tally = Self.read(&reader), reader.remaining.isEmpty else { return nil }
        self = tally
    }

    /// Reads a tally `stored` wrote at the reader's offset.
    static func read(_ reader: inout StoredBytes.Reader) -> MarketTally? {
        var tally = MarketTally()
        var counters = [Int64]()
        for _ in 0..<counterCount {
            guard let counter = reader.int() else { return nil }
            counters.append(counter)
        }
        tally.counters = counters
        func map<Key: Hashable>(_ readKey: (inout StoredBytes.Reader) -> Key?) -> [Key: Int64]? {
            guard let count = reader.offset(within: reader.remaining.count) else { return nil }
            var map = [Key: Int64](minimumCapacity: count)
            for _ in 0..<count {
                guard let key = readKey(&reader), let value = reader.int() else { return nil }
                map[key] = value
            }
            return map
        }
        func textMap() -> [String: Int64]? { map { $0.text() } }
        func dayMap() -> [Int64: Int64]? { map { $0.int() } }
        guard let routes = textMap(), let bases = textMap(), let reasons = textMap(), let consortia = textMap(),
            let spendByHolder = textMap(), let settlementsByHolder = textMap(), let worked = textMap(),
            let access = textMap(), let spendByDoer = textMap(), let monthsByDoer = textMap(), let unpaid = dayMap(),
            let memberUnpaid = dayMap()
        else { return nil }
        (tally.routes, tally.bases, tally.reasons, tally.consortia) = (routes, bases, reasons, consortia)
        (tally.spendByHolder, tally.settlementsByHolder, tally.worked) = (spendByHolder, settlementsByHolder, worked)
        (tally.access, tally.spendByDoer, tally.monthsByDoer) = (access, spendByDoer, monthsByDoer)
        (tally.unpaidByDueOn, tally.memberUnpaidByDueOn) = (unpaid, memberUnpaid)
        return tally
    }
}

extension MarketPart {
    /// The stored form of a list of parts (an entity's).
    public static func stored(_ parts: [MarketPart]) -> [UInt8] {
        var writer = StoredBytes.Writer()
        for part in parts {
            writer.text(part.commissioner)
            writer.int(part.month.map { Int64($0) } ?? -1)
            writer.bytes += part.tally.stored
        }
        return writer.bytes
    }

    /// The parts `stored(_:)` wrote; nil when `bytes` are not such a list.
    public static func parts(stored bytes: UnsafeRawBufferPointer) -> [MarketPart]? {
        var reader = StoredBytes.Reader(bytes)
        var parts = [MarketPart]()
        while !reader.remaining.isEmpty {
            guard let commissioner = reader.text(), let month = reader.int(), month >= -1, month <= Int64(Int32.max),
                let tally = MarketTally.read(&reader)
            else { return nil }
            parts.append(MarketPart(commissioner: commissioner, month: month == -1 ? nil : Int32(month), tally: tally))
        }
        return parts
    }
}

extension ConsortiumMembers {
    /// The stored form: the integrator, then each member and its share.
    public var stored: [UInt8] {
        var writer = StoredBytes.Writer()
        writer.text(integrator)
        for member in members {
            writer.text(member.provider)
            writer.int(member.shareBp)
        }
        return writer.bytes
    }

    /// What `stored` wrote; nil when `bytes` are not such a record.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let integrator = reader.text() else { return nil }
        var members = [ConsortiumRegistration.Member]()
        while !reader.remaining.isEmpty {
            guard let provider = reader.text(), let share = reader.int() else { return nil }
            members.append(ConsortiumRegistration.Member(provider: provider, shareBp: share))
        }
        self.init(integrator: integrator, members: members)
    }
}
