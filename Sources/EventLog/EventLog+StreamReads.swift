import LMDB

extension EventLog {
    /// What the stream index holds of one stream: its current version and the positions of its first and last
    /// events (nil for a stream with no events).
    public struct StreamInfo: Sendable, Hashable {
        public var version: UInt64
        public var first: UInt64?
        public var last: UInt64?
    }

    /// `stream`'s current version and first and last positions, read from the stream index alone.
    public func info(of stream: String) throws(EventLogError) -> StreamInfo {
        try reading { txn in
            let version = try databases.version(of: stream, in: txn)
            guard version > 0 else { return StreamInfo(version: 0) }
            let prefix = Array(stream.utf8) + [0]
            func position(_ version: UInt64) throws -> UInt64? {
                try txn.getBytes(databases.streams, key: prefix + BigEndian.bytes(version)).flatMap {
                    BigEndian.uint64($0[...])
                }
            }
            return StreamInfo(version: version, first: try position(1), last: try position(version))
        }
    }

    /// Up to `limit` events of `stream`, newest first, from version `version` down (its last version when `version`
    /// is 0 or beyond it), and no more than `maxBytes` of stored bytes (but always the first event, however large).
    /// - Throws: `EventLogError.integrity` as `read(stream:from:limit:maxBytes:)` does.
    public func read(
        stream: String,
        backwardFrom version: UInt64,
        limit: Int,
        maxBytes: Int = .max
    ) throws(EventLogError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let streamName = Array(stream.utf8)
        let prefix = streamName + [0]
        return try reading { txn in
            try txn.withCursor(databases.streams) { cursor in
                // The entry at `version`, else the one before it (the stream's last, when `version` is beyond it).
                let wanted = version == 0 ? UInt64.max : version
                var entry = try cursor.seek(atLeast: prefix + BigEndian.bytes(wanted))
                if entry.map({ !$0.key.elementsEqual(prefix + BigEndian.bytes(wanted)) }) ?? true {
                    entry = entry == nil ? try cursor.last() : try cursor.previous()
                }
                return try Self.walk(
                    stream: stream,
                    from: entry,
                    expecting: nil,
                    limit: limit,
                    maxBytes: maxBytes,
                    in: txn,
                    databases: databases,
                    following: { $0 > 1 ? $0 - 1 : nil },
                    move: { try cursor.previous() }
                )
            }
        }
    }
}
