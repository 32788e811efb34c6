import EventLog
import LMDB
import LedgerProtocol
import Metrics
import Synchronization

import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory

/// The daemon's metrics: swift-metrics handles backed by a Prometheus registry that belongs to this service (not
/// the process-wide `MetricsSystem`), rendered as Prometheus text by `METRICS` and the metrics file.
///
/// Counters and histograms are updated as things happen; gauges (connections, subscribers, map use, lags) are sampled
/// when the text is rendered. Every name is listed in Protocols/line-protocol.md under `METRICS`.
final class LedgerMetrics: Sendable {
    /// What the gauges are set from, sampled by the caller just before rendering.
    struct Sample: Sendable {
        var head: UInt64
        var projected: UInt64
        var connections: Int
        var map: Environment.Info
        var maxMapSize: Int
        var process: ProcessUsage
    }

    private let registry = PrometheusCollectorRegistry()
    private let appendedEvents: Counter
    private let appendRequests: Counter
    private let commits: Counter
    private let batchEvents: Recorder
    private let commitDuration: Timer
    private let errors: [ErrorCode: Counter]
    private let backups: Counter
    private let gauges: [String: Gauge]
    private let cpuSeconds: FloatingPointCounter
    /// The CPU time the counter holds (it is advanced by the difference at each sample).
    private let countedCPUSeconds = Mutex(0.0)
    /// The next position each live subscriber will be sent, by subscription id.
    private let subscribers = Mutex<[UInt64: UInt64]>([:])

    /// Upper bounds of the group-commit batch size histogram, in events.
    static let batchBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    /// Upper bounds of the commit latency histogram.
    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1),
    ]
    private static let gaugeNames = [
        "ledger_head_position", "ledger_connections", "ledger_subscribers", "ledger_subscriber_lag_events",
        "ledger_projection_lag_events", "ledger_map_size_bytes", "ledger_map_used_bytes", "ledger_map_max_bytes",
        "ledger_readers_used", "process_resident_memory_bytes",
    ]

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["ledger_commit_batch_events"] = Self.batchBuckets
        factory.durationHistogramBuckets["ledger_commit_duration_seconds"] = Self.latencyBuckets
        appendedEvents = Counter(label: "ledger_appended_events_total", factory: factory)
        appendRequests = Counter(label: "ledger_append_requests_total", factory: factory)
        commits = Counter(label: "ledger_commits_total", factory: factory)
        batchEvents = Recorder(label: "ledger_commit_batch_events", aggregate: true, factory: factory)
        commitDuration = Timer(label: "ledger_commit_duration_seconds", factory: factory)
        backups = Counter(label: "ledger_backups_total", factory: factory)
        cpuSeconds = FloatingPointCounter(label: "process_cpu_seconds_total", factory: factory)
        var errors = [ErrorCode: Counter]()
        for code in ErrorCode.allCases {
            errors[code] = Counter(
                label: "ledger_errors_total",
                dimensions: [("code", code.rawValue)],
                factory: factory
            )
        }
        self.errors = errors
        var gauges = [String: Gauge]()
        for name in Self.gaugeNames { gauges[name] = Gauge(label: name, factory: factory) }
        self.gauges = gauges
    }

    /// Records one group commit (called on the writer thread).
    func committed(_ commit: GroupCommitWriter.Commit) {
        appendedEvents.increment(by: commit.events)
        appendRequests.increment(by: commit.requests)
        commits.increment()
        batchEvents.record(commit.events)
        commitDuration.recordNanoseconds(Int64(commit.seconds * 1e9))
    }

    /// Counts an error reply by its wire code.
    func refused(_ code: ErrorCode) {
        errors[code]?.increment()
    }

    /// Counts a backup written.
    func backedUp() {
        backups.increment()
    }

    /// Records that subscription `id` will next be sent position `next` (registering it when new).
    func subscriber(_ id: UInt64, next: UInt64) {
        subscribers.withLock { $0[id] = next }
    }

    /// Forgets subscription `id`.
    func subscriberEnded(_ id: UInt64) {
        _ = subscribers.withLock { $0.removeValue(forKey: id) }
    }

    /// Sets the gauges from `sample` and renders every metric as Prometheus text (exposition format 0.0.4).
    func exposition(_ sample: Sample) -> String {
        let positions = subscribers.withLock { Array($0.values) }
        let slowest = positions.min().map { $0 > sample.head ? 0 : sample.head + 1 - $0 } ?? 0
        let values: [String: Int] = [
            "ledger_head_position": Int(sample.head),
            "ledger_connections": sample.connections,
            "ledger_subscribers": positions.count,
            "ledger_subscriber_lag_events": Int(slowest),
            "ledger_projection_lag_events": Int(sample.head - min(sample.projected, sample.head)),
            "ledger_map_size_bytes": sample.map.mapSize,
            "ledger_map_used_bytes": sample.map.usedBytes,
            "ledger_map_max_bytes": sample.maxMapSize,
            "ledger_readers_used": sample.map.readersUsed,
            "process_resident_memory_bytes": sample.process.residentBytes,
        ]
        for (name, value) in values { gauges[name]?.record(value) }
        countedCPUSeconds.withLock { counted in
            let added = max(0, sample.process.cpuSeconds - counted)
            cpuSeconds.increment(by: added)
            counted += added
        }
        return registry.emitToString()
    }
}
