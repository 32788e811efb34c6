import EventLog
import LMDB
import LedgerProtocol
import Synchronization

import class Prometheus.Counter
import typealias Prometheus.DurationHistogram
import class Prometheus.Gauge
import struct Prometheus.MetricNameDescriptor
import class Prometheus.PrometheusCollectorRegistry
import typealias Prometheus.ValueHistogram

/// The daemon's metrics, in swift-prometheus registries that belong to this service, rendered as Prometheus text
/// (exposition format 0.0.4, a `# HELP` and `# TYPE` line for every family) by `METRICS`, HTTP `/metrics` and the
/// metrics file.
///
/// Counters and histograms are updated as things happen; gauges (connections, subscribers, map use, lags) are sampled
/// when the text is rendered. The `process_*` families are kept in a registry of their own, so the metrics file can
/// leave them out (node_exporter has its own). Every family is listed in Protocols/line-protocol.md under `METRICS`.
final class LedgerMetrics: Sendable {
    /// What the gauges are set from, sampled by the caller just before rendering.
    struct Sample: Sendable {
        var head: UInt64
        var projected: UInt64
        var projectionLagSeconds: Double
        var connections: [Role?: Int]
        var writerQueue: Int
        var map: Environment.Info
        var maxMapSize: Int
        var mapGrowths: Int
        var signedCheckpointSize: UInt64
        var signedCheckpointTime: Double
        var healthy: Bool
        var process: ProcessUsage
        /// A follower's distance behind its primary's head, in events (0 on a primary).
        var replicationLag: UInt64 = 0
        /// Whether a follower refused its primary (its history does not extend the follower's).
        var replicationRefused = false
        /// The replication epoch this daemon knows.
        var replicationEpoch: UInt64 = 1
        /// Whether this daemon takes appends (a primary, not fenced).
        var replicationLeads = true
        /// Whether synchronous appends are acknowledged without waiting, after a wait timed out.
        var syncDegraded = false
        /// The durable consumers.
        var consumers: [ConsumerRegistry.Summary] = []
    }

    private let registry: PrometheusCollectorRegistry
    private let processRegistry: PrometheusCollectorRegistry
    private let appendedEvents: Counter
    private let appendRequests: Counter
    private let commits: Counter
    private let batchEvents: ValueHistogram
    private let commitDuration: DurationHistogram
    private let appendDuration: DurationHistogram
    /// Request latency by verb; `SUBSCRIBE` is not timed (it streams until stopped).
    private let requestDuration: [Verb: DurationHistogram]
    private let otherRequestDuration: DurationHistogram
    private let errors: [ErrorCode: Counter]
    private let backups: Counter
    private let syncTimeouts: Counter
    private let backupFailures: Counter
    private let lastBackup: Gauge
    private let mapGrowths: Counter
    private let gauges: [String: Gauge]
    private let connections: [Role?: Gauge]
    private let cpuSeconds: Counter
    /// The CPU time and map growths the counters hold (they are advanced by the difference at each sample).
    private let counted = Mutex((cpuSeconds: 0.0, mapGrowths: 0))
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
    /// Upper bounds of the request and append latency histograms (reads, verifies and backups can take seconds).
    static let requestBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// The `verb` label of requests whose verb is not one of protocol v1's.
    static let otherVerb = "other"
    /// Each durable consumer's lag and acknowledged position, labelled by its name (at most `limits.maxConsumers`).
    private static var consumerLag: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "ledger_consumer_lag_events",
            unitName: "",
            helpText: "How far a durable consumer's acknowledged position is behind the head, in events."
        )
    }
    private static var consumerAcked: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "ledger_consumer_acked_position",
            unitName: "",
            helpText: "A durable consumer's acknowledged position, stored durably."
        )
    }
    /// The sampled gauges without labels, and their help texts.
    private static let gaugeHelp: KeyValuePairs = [
        "ledger_head_position": "The head position (the Merkle tree size).",
        "ledger_subscribers": "Active subscriptions.",
        "ledger_subscriber_lag_events": "How far the slowest subscriber is behind the head, in events.",
        "ledger_projection_lag_events": "How far the projections are behind the head, in events.",
        "ledger_projection_lag_seconds":
            "Seconds since the projections last held every committed event (0 when caught up).",
        "ledger_writer_queue_requests": "Append requests waiting for the writer's next transactions.",
        "ledger_map_size_bytes": "The LMDB map's current size.",
        "ledger_map_used_bytes": "The LMDB map's used pages, in bytes.",
        "ledger_map_max_bytes": "The LMDB map's configured maximum size (storage.maxMapSizeMiB).",
        "ledger_readers_used": "LMDB reader slots held now by live readers.",
        "ledger_checkpoint_signed_size": "The tree size of the last signed checkpoint (0 without a signing key).",
        "ledger_checkpoint_signed_timestamp_seconds":
            "Unix time the last checkpoint was signed, or ledgerd started with a key and has signed none since "
            + "(0 without a signing key).",
        "ledger_healthy":
            "1 when /healthz would answer 200: serving, writer and event loops alive, projections in time.",
        "ledger_replication_lag_events": "How far a follower is behind its primary's head, in events (0 on a primary).",
        "ledger_replication_refused":
            "1 when a follower refused its primary, whose history does not extend the follower's: replication stopped.",
        "ledger_replication_epoch": "The replication epoch this daemon knows (1 until a follower is first promoted).",
        "ledger_replication_primary": "1 when this daemon takes appends: a primary, neither a follower nor fenced.",
        "ledger_replication_sync_degraded":
            "1 while appends are acknowledged without their synchronous followers, after a wait timed out "
            + "(onSyncTimeout: degrade), until replication.syncFollowers followers hold the head again.",
    ]

    /// - Parameter lastBackupTime: the Unix time of the newest backup already in the backup directory, if any.
    init(lastBackupTime: Double?) {
        let registry = PrometheusCollectorRegistry()
        let processRegistry = PrometheusCollectorRegistry()
        self.registry = registry
        self.processRegistry = processRegistry
        func family(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        }
        appendedEvents = registry.makeCounter(
            descriptor: family(
                "ledger_appended_events_total",
                "Events written (duplicates and refused appends excluded)."
            )
        )
        appendRequests = registry.makeCounter(
            descriptor: family(
                "ledger_append_requests_total",
                "APPEND requests answered in transactions that wrote events."
            )
        )
        commits = registry.makeCounter(
            descriptor: family("ledger_commits_total", "Durable group commits that wrote events.")
        )
        batchEvents = registry.makeValueHistogram(
            descriptor: family("ledger_commit_batch_events", "Events per group commit."),
            buckets: Self.batchBuckets
        )
        commitDuration = registry.makeDurationHistogram(
            descriptor: family(
                "ledger_commit_duration_seconds",
                "Time from the write transaction's start until its appends are answered, the journal's sync included."
            ),
            buckets: Self.latencyBuckets
        )
        appendDuration = registry.makeDurationHistogram(
            descriptor: family(
                "ledger_append_duration_seconds",
                "APPEND latency: from the request line read to its durable result (queueing and commit included)."
            ),
            buckets: Self.requestBuckets
        )
        let requestFamily = family(
            "ledger_request_duration_seconds",
            "Request latency by verb: from the request line read to its reply written (SUBSCRIBE and CONSUME untimed)."
        )
        var requestDuration = [Verb: DurationHistogram]()
        for verb in Verb.allCases where verb != .subscribe && verb != .consume {
            requestDuration[verb] = registry.makeDurationHistogram(
                descriptor: requestFamily,
                labels: [("verb", verb.rawValue)],
                buckets: Self.requestBuckets
            )
        }
        self.requestDuration = requestDuration
        otherRequestDuration = registry.makeDurationHistogram(
            descriptor: requestFamily,
            labels: [("verb", Self.otherVerb)],
            buckets: Self.requestBuckets
        )
        var errors = [ErrorCode: Counter]()
        for code in ErrorCode.allCases {
            errors[code] = registry.makeCounter(
                descriptor: family("ledger_errors_total", "Error replies by wire code."),
                labels: [("code", code.rawValue)]
            )
        }
        self.errors = errors
        backups = registry.makeCounter(descriptor: family("ledger_backups_total", "Backups written."))
        syncTimeouts = registry.makeCounter(
            descriptor: family(
                "ledger_replication_sync_timeouts_total",
                "Appends acknowledged before replication.syncFollowers followers stored them (onSyncTimeout: degrade): "
                    + "the one whose wait timed out and those acknowledged while degraded."
            )
        )
        backupFailures = registry.makeCounter(
            descriptor: family(
                "ledger_backup_failures_total",
                "Backups that failed for want of space or inside the server (a bad or taken name excluded)."
            )
        )
        lastBackup = registry.makeGauge(
            descriptor: family(
                "ledger_backup_last_success_timestamp_seconds",
                "Unix time of the last successful backup (at start: the newest in the backup directory; 0: none)."
            )
        )
        lastBackup.set(to: lastBackupTime ?? 0)
        mapGrowths = registry.makeCounter(
            descriptor: family("ledger_map_growths_total", "Times the LMDB map grew since ledgerd started.")
        )
        var gauges = [String: Gauge]()
        for (name, help) in Self.gaugeHelp { gauges[name] = registry.makeGauge(descriptor: family(name, help)) }
        var connections = [Role?: Gauge]()
        for role in Role.allCases.map(Optional.some) + [nil] {
            connections[role] = registry.makeGauge(
                descriptor: family("ledger_connections", "Open connections by the peer's role (none: no role)."),
                labels: [("role", role?.rawValue ?? "none")]
            )
        }
        self.connections = connections
        registry.makeGauge(
            descriptor: family("ledger_build_info", "Always 1; the label is the running ledgerd's version."),
            labels: [("version", LedgerVersion.current)]
        ).set(to: 1)
        cpuSeconds = processRegistry.makeCounter(
            descriptor: family("process_cpu_seconds_total", "The daemon's CPU time, user plus system, all threads.")
        )
        gauges["process_resident_memory_bytes"] = processRegistry.makeGauge(
            descriptor: family(
                "process_resident_memory_bytes",
                "The daemon's resident memory, pages of the LMDB map it has read included."
            )
        )
        processRegistry.makeGauge(
            descriptor: family("process_start_time_seconds", "Unix time the daemon's process started.")
        ).set(to: ProcessUsage.startTime)
        self.gauges = gauges
    }

    /// Records one group commit (called on the writer thread).
    func committed(_ commit: GroupCommitWriter.Commit) {
        appendedEvents.increment(by: Int64(commit.events))
        appendRequests.increment(by: Int64(commit.requests))
        commits.increment()
        batchEvents.record(Double(commit.events))
        commitDuration.record(.nanoseconds(Int64(commit.seconds * 1e9)))
    }

    /// Records how long a request took until its reply was written; `verb` is nil for a line without a known verb.
    func answered(_ verb: Verb?, after duration: Duration) {
        guard let verb else { return otherRequestDuration.record(duration) }
        requestDuration[verb]?.record(duration)
    }

    /// Records how long an append took until its durable result reached its connection.
    func appended(after duration: Duration) {
        appendDuration.record(duration)
    }

    /// Counts an error reply by its wire code.
    func refused(_ code: ErrorCode) {
        errors[code]?.increment()
    }

    /// Counts a backup written at Unix time `time`.
    func backedUp(at time: Double) {
        backups.increment()
        lastBackup.set(to: time)
    }

    /// Counts a backup that failed (not for a bad or taken name, which is the client's mistake).
    func backupFailed() {
        backupFailures.increment()
    }

    /// Counts an append acknowledged before its synchronous followers stored it.
    func syncTimedOut() {
        syncTimeouts.increment()
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
    /// - Parameter process: whether to include the `process_*` families (the metrics file leaves them out).
    func exposition(_ sample: Sample, process: Bool) -> String {
        let positions = subscribers.withLock { Array($0.values) }
        let slowest = positions.min().map { $0 > sample.head ? 0 : sample.head + 1 - $0 } ?? 0
        let values: [String: Double] = [
            "ledger_head_position": Double(sample.head),
            "ledger_subscribers": Double(positions.count),
            "ledger_subscriber_lag_events": Double(slowest),
            "ledger_projection_lag_events": Double(sample.head - min(sample.projected, sample.head)),
            "ledger_projection_lag_seconds": sample.projectionLagSeconds,
            "ledger_writer_queue_requests": Double(sample.writerQueue),
            "ledger_map_size_bytes": Double(sample.map.mapSize),
            "ledger_map_used_bytes": Double(sample.map.usedBytes),
            "ledger_map_max_bytes": Double(sample.maxMapSize),
            "ledger_readers_used": Double(sample.map.readersUsed),
            "ledger_checkpoint_signed_size": Double(sample.signedCheckpointSize),
            "ledger_checkpoint_signed_timestamp_seconds": sample.signedCheckpointTime,
            "ledger_healthy": sample.healthy ? 1 : 0,
            "ledger_replication_lag_events": Double(sample.replicationLag),
            "ledger_replication_refused": sample.replicationRefused ? 1 : 0,
            "ledger_replication_epoch": Double(sample.replicationEpoch),
            "ledger_replication_primary": sample.replicationLeads ? 1 : 0,
            "ledger_replication_sync_degraded": sample.syncDegraded ? 1 : 0,
            "process_resident_memory_bytes": Double(sample.process.residentBytes),
        ]
        for (name, value) in values { gauges[name]?.set(to: value) }
        for consumer in sample.consumers {
            let labels = [("consumer", consumer.name)]
            registry.makeGauge(descriptor: Self.consumerLag, labels: labels)
                .set(to: Double(sample.head - min(consumer.acked, sample.head)))
            registry.makeGauge(descriptor: Self.consumerAcked, labels: labels).set(to: Double(consumer.acked))
        }
        for (role, gauge) in connections { gauge.set(to: Double(sample.connections[role] ?? 0)) }
        counted.withLock { counted in
            let cpu = max(0, sample.process.cpuSeconds - counted.cpuSeconds)
            cpuSeconds.increment(by: cpu)
            counted.cpuSeconds += cpu
            let growths = max(0, sample.mapGrowths - counted.mapGrowths)
            mapGrowths.increment(by: Int64(growths))
            counted.mapGrowths += growths
        }
        var text = registry.emitToBuffer()
        if process { processRegistry.emit(into: &text) }
        return String(decoding: text, as: UTF8.self)
    }
}
