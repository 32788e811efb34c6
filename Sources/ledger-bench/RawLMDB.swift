import EventLog
import Foundation
import LMDB
import LedgerTestSupport
import LedgerWire

/// Raw LMDB: plain put loops through the storage layer, one durable transaction per batch. The ceiling the log is
/// measured against.
enum RawLMDB {
    /// What the loop writes for each event.
    enum Records {
        /// Only envelope-sized values under increasing 8-byte keys (`MDB_APPEND`): one put per event.
        case envelopes
        /// The records the log writes, as plain puts of precomputed bytes: the envelope by position, id -> position
        /// (appended while ids increase), stream + version -> position (`streams` streams, round robin), the 32-byte
        /// leaf hashes in chunks of 256 with the root of each full chunk, and a state record per transaction. No
        /// checks, encoding or hashing.
        case logRecords(ids: Workload.IDKind, streams: Int)
    }

    /// Events/s of both loops over the same events: envelopes only, then the log's records.
    static func measureBoth(
        events: Int,
        batch: Int,
        payloadBytes: Int,
        seed: UInt64,
        ids: Workload.IDKind,
        streams: Int
    ) throws -> (envelopes: Double, logRecords: Double) {
        let envelopes = try measure(
            events: events,
            batch: batch,
            payloadBytes: payloadBytes,
            seed: seed,
            records: .envelopes
        )
        let records = try measure(
            events: events,
            batch: batch,
            payloadBytes: payloadBytes,
            seed: seed,
            records: .logRecords(ids: ids, streams: streams)
        )
        return (envelopes, records)
    }

    /// Events/s of one loop.
    static func measure(events: Int, batch: Int, payloadBytes: Int, seed: UInt64, records: Records) throws -> Double {
        let directory = try TemporaryDirectory(prefix: "bench-raw")
        var options = Environment.Options()
        options.mapSize = 1 << 30
        let environment = try Environment(path: directory.path, options: options)
        var workload = Workload(seed: seed, idKind: .v7, payloadBytes: payloadBytes)
        let values = (0..<min(events, 1000)).map { _ in
            Array((workload.nextEventJSON() + String(repeating: " ", count: 130)).utf8)
        }
        let envelopes = try environment.openDatabase("events")
        var log: LogRecords?
        if case .logRecords(let idKind, let streams) = records {
            log = try LogRecords(environment: environment, events: events, seed: seed, ids: idKind, streams: streams)
        }
        let started = ContinuousClock.now
        var position: UInt64 = 0
        while position < UInt64(events) {
            try environment.write { txn in
                for _ in 0..<min(batch, events - Int(position)) {
                    position += 1
                    let value = values[Int(position) % values.count]
                    try put(txn, envelopes, position, value, flags: .append)
                    try log?.put(txn, position: position)
                }
                try log?.finish(txn, size: position)
            }
        }
        return Double(events) / (ContinuousClock.now - started).seconds
    }

    private static func put(
        _ txn: Transaction,
        _ database: Database,
        _ position: UInt64,
        _ value: [UInt8],
        flags: Transaction.PutFlags
    ) throws {
        try withUnsafeBytes(of: position.bigEndian) { key in
            try value.withUnsafeBytes { try txn.put(database, key: key, value: $0, flags: flags) }
        }
    }

    /// The log's databases and the keys of every event, made before the clock starts.
    private struct LogRecords {
        let ids: Database
        let streams: Database
        let leaves: Database
        let subtrees: Database
        let meta: Database
        let idKeys: [EventID]
        let idAppends: [Bool]
        let streamNames: [[UInt8]]
        var versions: [UInt64]
        var pendingLeaves = [UInt8]()
        let leaf = [UInt8](repeating: 0xAB, count: 32)

        init(environment: Environment, events count: Int, seed: UInt64, ids: Workload.IDKind, streams: Int) throws {
            self.ids = try environment.openDatabase("ids")
            self.streams = try environment.openDatabase("streams")
            leaves = try environment.openDatabase("leaves")
            subtrees = try environment.openDatabase("subtrees")
            meta = try environment.openDatabase("meta")
            var workload = Workload(seed: seed, idKind: ids, payloadBytes: 0)
            idKeys = (0..<count).map { _ in workload.nextID() }
            var newest: EventID?
            idAppends = idKeys.map { id in
                let isNewest = newest.map { $0 < id } ?? true
                if isNewest { newest = id }
                return isNewest
            }
            streamNames = (0..<max(streams, 1)).map { Array("case-\($0)".utf8) + [0] }
            versions = Array(repeating: 0, count: streamNames.count)
        }

        /// The index entries and leaf hash of the event at `position` (its envelope is put by the caller).
        mutating func put(_ txn: Transaction, position: UInt64) throws {
            let index = Int(position - 1)
            try withUnsafeBytes(of: position.bigEndian) { value in
                try idKeys[index].withUnsafeBytes { key in
                    try txn.put(ids, key: key, value: value, flags: idAppends[index] ? .append : .noOverwrite)
                }
                let stream = index % streamNames.count
                versions[stream] += 1
                var key = streamNames[stream]
                withUnsafeBytes(of: versions[stream].bigEndian) { key.append(contentsOf: $0) }
                try key.withUnsafeBytes { try txn.put(streams, key: $0, value: value) }
            }
            pendingLeaves.append(contentsOf: leaf)
        }

        /// The leaf chunks touched since the last transaction, the roots of those it filled and the state record, as
        /// the log writes them.
        mutating func finish(_ txn: Transaction, size: UInt64) throws {
            let perChunk = 256
            let chunkStart = (Int(size) - pendingLeaves.count / 32) / perChunk * perChunk
            let tail = (Int(size) - pendingLeaves.count / 32) - chunkStart
            let hashes = [UInt8](repeating: 0xAB, count: tail * 32) + pendingLeaves
            var chunk = UInt64(chunkStart / perChunk)
            for offset in stride(from: 0, to: hashes.count, by: perChunk * 32) {
                try RawLMDB.put(
                    txn,
                    leaves,
                    chunk,
                    Array(hashes[offset..<min(offset + perChunk * 32, hashes.count)]),
                    flags: []
                )
                if offset + perChunk * 32 <= hashes.count {
                    try ([8] + withUnsafeBytes(of: chunk.bigEndian) { Array($0) }).withUnsafeBytes { key in
                        try leaf.withUnsafeBytes { try txn.put(subtrees, key: key, value: $0) }
                    }
                }
                chunk += 1
            }
            pendingLeaves.removeAll(keepingCapacity: true)
            let state = [UInt8](repeating: 0xCD, count: 16 + 32 * size.nonzeroBitCount)
            try state.withUnsafeBytes { value in
                try Array("state".utf8).withUnsafeBytes { try txn.put(meta, key: $0, value: value) }
            }
        }
    }
}
