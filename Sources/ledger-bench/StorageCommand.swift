import ArgumentParser
import EventLog
import Foundation
import LMDB
import LedgerTestSupport
import Synchronization

/// `ledger-bench storage`: durable events/s through the group-commit writer next to raw LMDB puts of the same bytes
/// at the same batch sizes, in one run.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Group-commit writer vs raw LMDB puts, in process, at several batch sizes."
    )

    @Option(help: "Events per measurement (batch size 1 uses a tenth, at most 5000: it is fsync-bound).")
    var events = 200_000

    @Option(help: "Comma-separated transaction batch sizes.")
    var batches = "1,100,1000"

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Distinct streams the events are spread over, round robin (like that many clients' cases).")
    var streams = 64

    @Option(help: "Event id kinds to run, comma-separated: v7, v4.")
    var ids = "v7,v4"

    @Option(help: "Seed for deterministic content.")
    var seed: UInt64 = 42

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var rows = [[String: String]]()
        for kind in ids.split(separator: ",").compactMap({ Workload.IDKind(rawValue: String($0)) }) {
            for batch in batches.split(separator: ",").compactMap({ Int($0) }) {
                let count = batch == 1 ? min(events / 10, 5000) : events
                let raw = try RawLMDB.measure(events: count, batch: batch, payloadBytes: size, seed: seed)
                let log = try await GroupCommitMeasure.measure(
                    events: count,
                    batch: batch,
                    inFlight: max(batch * 2, 2),
                    payloadBytes: size,
                    seed: seed,
                    ids: kind,
                    streams: streams
                )
                rows.append([
                    "ids": kind.rawValue, "streams": "\(streams)", "batch": "\(batch)", "events": "\(count)",
                    "rawEventsPerSecond": String(format: "%.0f", raw),
                    "logEventsPerSecond": String(format: "%.0f", log.rate),
                    "averageCommitBatch": String(format: "%.1f", log.averageBatch),
                    "ratio": String(format: "%.2f", log.rate / raw),
                ])
            }
        }
        Report.print(
            rows,
            columns: [
                "ids", "streams", "batch", "events", "rawEventsPerSecond", "logEventsPerSecond", "averageCommitBatch",
                "ratio",
            ],
            json: json
        )
    }
}

/// Raw LMDB: the same envelope-sized bytes put under increasing 8-byte keys with `MDB_APPEND`, one durable
/// transaction per batch. The ceiling the log is measured against.
enum RawLMDB {
    static func measure(events: Int, batch: Int, payloadBytes: Int, seed: UInt64) throws -> Double {
        let directory = try TemporaryDirectory(prefix: "bench-raw")
        var options = Environment.Options()
        options.mapSize = 1 << 30
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("events")
        var workload = Workload(seed: seed, idKind: .v7, payloadBytes: payloadBytes)
        let values = (0..<min(events, 1000)).map { _ in
            Array((workload.nextEventJSON() + String(repeating: " ", count: 130)).utf8)
        }
        let started = ContinuousClock.now
        var key: UInt64 = 0
        while key < UInt64(events) {
            try environment.write { txn in
                for _ in 0..<min(batch, events - Int(key)) {
                    key += 1
                    let value = values[Int(key) % values.count]
                    try withUnsafeBytes(of: key.bigEndian) { keyBytes in
                        try value.withUnsafeBytes { try txn.put(database, key: keyBytes, value: $0, flags: .append) }
                    }
                }
            }
        }
        return Double(events) / (ContinuousClock.now - started).seconds
    }
}

/// The event log through `GroupCommitWriter`: `inFlight` appends of `eventsPerRequest` events kept outstanding (as
/// that many callers each waiting for their answer before the next would), at most `batch` events per transaction.
enum GroupCommitMeasure {
    struct Outcome {
        var rate: Double
        var averageBatch: Double
    }

    static func measure(
        events: Int,
        batch: Int,
        inFlight: Int,
        eventsPerRequest: Int = 1,
        payloadBytes: Int,
        seed: UInt64,
        ids: Workload.IDKind,
        streams: Int
    ) async throws -> Outcome {
        let directory = try TemporaryDirectory(prefix: "bench-log")
        var options = Environment.Options()
        options.mapSize = 1 << 30
        let log = try EventLog(configuration: .init(directory: directory.path, environment: options))
        var workload = Workload(seed: seed, idKind: ids, payloadBytes: payloadBytes)
        let requests = try (0..<max(1, events / eventsPerRequest)).map { index -> AppendRequest in
            let batch = try (0..<eventsPerRequest).map { _ in
                guard let event = workload.nextEvent() else { throw ValidationError("bad generated event") }
                return event
            }
            return try AppendRequest(stream: "case-\(index % max(streams, 1))", expected: .any, events: batch)
        }
        let commits = Mutex((count: 0, events: 0))
        let writer = GroupCommitWriter(log: log, maxBatchEvents: batch) { commit in
            commits.withLock {
                $0.count += 1
                $0.events += commit.events
            }
        }
        let started = ContinuousClock.now
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let feeder = Feeder(requests: requests, window: inFlight, writer: writer, done: done)
            feeder.start()
        }
        let elapsed = (ContinuousClock.now - started).seconds
        await writer.shutdown()
        let totals = commits.withLock { $0 }
        return Outcome(
            rate: Double(requests.count * eventsPerRequest) / elapsed,
            averageBatch: Double(totals.events) / Double(max(totals.count, 1))
        )
    }
}

/// Keeps `window` appends outstanding until all requests are submitted and answered.
final class Feeder: Sendable {
    private struct State {
        var next = 0
        var answered = 0
    }

    private let requests: [AppendRequest]
    private let window: Int
    private let writer: GroupCommitWriter
    private let done: CheckedContinuation<Void, Never>
    private let state = Mutex(State())

    init(requests: [AppendRequest], window: Int, writer: GroupCommitWriter, done: CheckedContinuation<Void, Never>) {
        self.requests = requests
        self.window = window
        self.writer = writer
        self.done = done
    }

    func start() {
        for _ in 0..<min(window, requests.count) { submitNext() }
    }

    private func submitNext() {
        let index = state.withLock { state -> Int? in
            guard state.next < requests.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
        guard let index else { return }
        writer.submit(requests[index]) { [self] _ in
            let finished = state.withLock { state -> Bool in
                state.answered += 1
                return state.answered == requests.count
            }
            if finished { done.resume() } else { submitNext() }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
