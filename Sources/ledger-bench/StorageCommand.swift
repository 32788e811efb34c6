import ArgumentParser
import EventLog
import Foundation
import LMDB
import LedgerTestSupport
import Synchronization

/// `ledger-bench storage`: durable events/s through the group-commit writer next to two raw LMDB put loops at the
/// same batch sizes, in one run: one writing the very records the log writes (`ratio`), and one writing only the
/// envelopes (`ratioToEnvelopes`, the cost of the indexes and the Merkle leaves included).
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Group-commit writer vs raw LMDB puts, in process, at several batch sizes."
    )

    @Option(help: "Events per measurement (batch size 1 uses a tenth, at most 5000: it is fsync-bound).")
    var events = 200_000

    @Option(help: "Comma-separated transaction batch sizes.")
    var batches: CommaSeparated<Int> = [1, 100, 1000]

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Distinct streams the events are spread over, round robin (like that many clients' cases).")
    var streams = 64

    @Option(help: "Event id kinds to run, comma-separated: v7, v4.")
    var ids: CommaSeparated<Workload.IDKind> = [.v7, .v4]

    @OptionGroup var options: BenchOptions

    func validate() throws {
        try batches.validatePositive("batches")
    }

    func run() async throws {
        var rows = [[String: String]]()
        for kind in ids.values {
            for batch in batches.values {
                let count = batch == 1 ? min(events / 10, 5000) : events
                let (rawEnvelopes, raw) = try RawLMDB.measureBoth(
                    events: count,
                    batch: batch,
                    payloadBytes: size,
                    seed: options.seed,
                    ids: kind,
                    streams: streams
                )
                let log = try await GroupCommitMeasure.measure(
                    events: count,
                    batch: batch,
                    inFlight: max(batch * 2, 2),
                    payloadBytes: size,
                    seed: options.seed,
                    ids: kind,
                    streams: streams
                )
                rows.append([
                    "ids": kind.rawValue, "streams": "\(streams)", "batch": "\(batch)", "events": "\(count)",
                    "rawEnvelopesPerSecond": String(format: "%.0f", rawEnvelopes),
                    "rawEventsPerSecond": String(format: "%.0f", raw),
                    "logEventsPerSecond": String(format: "%.0f", log.rate),
                    "averageCommitBatch": String(format: "%.1f", log.averageBatch),
                    "ratio": String(format: "%.2f", log.rate / raw),
                    "ratioToEnvelopes": String(format: "%.2f", log.rate / rawEnvelopes),
                ])
            }
        }
        Report.print(
            rows,
            columns: [
                "ids", "streams", "batch", "events", "rawEnvelopesPerSecond", "rawEventsPerSecond",
                "logEventsPerSecond", "averageCommitBatch", "ratio", "ratioToEnvelopes",
            ],
            json: options.json
        )
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
    /// The duration in seconds.
    var seconds: Double { self / .seconds(1) }
}
