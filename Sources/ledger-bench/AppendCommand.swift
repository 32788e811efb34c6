import ArgumentParser
import EventLog
import Foundation
import Histogram
import LedgerJSON
import LedgerTestSupport
import Synchronization

/// `ledger-bench append`: durable appends over the socket from many clients, with latency percentiles.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Durable APPENDs over the Unix socket from N clients; events/s and latency percentiles."
    )

    @Option(
        help: """
            The daemon's socket. Without it, a ledgerd is started on a temporary data directory. A run whose events \
            that daemon already holds fails: vary --seed.
            """
    )
    var socket: String?

    @Option(
        help: """
            A ledgerd configuration file for the daemons this command starts (without --socket), to measure a setting \
            such as storage.writerNice.
            """
    )
    var daemonConfig: String?

    @Option(
        help: """
            Followers started beside the daemon, each a ledgerd --follow on a data directory of its own \
            (comma-separated to compare, e.g. 0,1; without --socket).
            """
    )
    var followers: CommaSeparated<Int> = [0]

    @Flag(help: "Synchronous followers: the daemon acknowledges an append once all of them hold it.")
    var sync = false

    @Option(help: "Concurrent client connections (comma-separated to run several).")
    var clients: CommaSeparated<Int> = [1, 8, 64]

    @Option(help: "Requests each client keeps in flight (closed loop; ignored with --rate).")
    var pipeline = 1

    @Option(
        help: """
            Offered load in events/s, open loop: each client's requests leave on a fixed schedule whether or not \
            earlier ones were answered, and latency counts from the scheduled time.
            """
    )
    var rate: Double?

    @Option(help: "Events per APPEND.")
    var batch = 1

    @Option(help: "Events per run.")
    var events = 50_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Event id kinds: v7, v4, or v7,v4 to run each client count with both, one after the other.")
    var ids: CommaSeparated<Workload.IDKind> = [.v7]

    @Flag(help: "Also measure the in-process group-commit writer with as many callers and appends in flight.")
    var inProcess = false

    @Flag(
        help: """
            Also measure raw LMDB puts of the records the log writes, in transactions of the batch the daemon's \
            group commit reached in the socket run (its average events per commit).
            """
    )
    var raw = false

    @Option(
        name: .customLong("repeat"),
        help: """
            Runs of each client count, one after another (socket, then in process, then raw LMDB each time), with a \
            median row after them.
            """
    )
    var repeats = 1

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if let daemonConfig {
            guard socket == nil else {
                throw ValidationError("--daemon-config is for the daemons append starts, not the one at --socket")
            }
            guard FileManager.default.isReadableFile(atPath: daemonConfig) else {
                throw ValidationError("--daemon-config: cannot read \(daemonConfig)")
            }
        }
        try clients.validatePositive("clients")
        guard followers.values.allSatisfy({ $0 >= 0 }), followers.values.allSatisfy({ $0 == 0 }) || socket == nil else {
            throw ValidationError(
                "--followers takes counts of 0 or more, and starts its own daemons (without --socket)"
            )
        }
    }

    func run() async throws {
        var rows = [[String: String]]()
        for clientCount in clients.values {
            for kind in ids.values {
                var alone: Double?
                for followerCount in followers.values {
                    var runs = [[String: String]]()
                    for index in 0..<repeats {
                        var row = try await measure(
                            clients: clientCount,
                            followers: followerCount,
                            ids: kind,
                            run: index
                        )
                        row["run"] = "\(index + 1)"
                        runs.append(row)
                    }
                    if repeats > 1 { runs.append(Report.medians(of: runs)) }
                    // Against the same clients without followers, when that was measured first.
                    let rate = runs.last.flatMap { $0["eventsPerSecond"] }.flatMap(Double.init)
                    if followerCount == 0 { alone = rate }
                    if let alone, let rate, alone > 0 {
                        for index in runs.indices {
                            runs[index]["vsNoFollowers"] = String(format: "%.2f", rate / alone)
                        }
                    }
                    rows += runs
                }
            }
        }
        var columns = [
            "clients", "run", "pipeline", "batch", "ids", "events", "eventsPerSecond", "requestsPerSecond", "p50ms",
            "p90ms", "p99ms", "p999ms", "maxms", "commitBatch", "commitUs", "daemonCPUus",
        ]
        if followers.values != [0] { columns += ["followers", "vsNoFollowers"] }
        if inProcess { columns += ["inProcessEventsPerSecond", "inProcessCommitBatch", "ratio"] }
        if raw { columns += ["rawEventsPerSecond", "rawCommitUs", "ratioToRaw"] }
        Report.print(rows, columns: columns, json: options.json)
    }

    /// One run at `clients` connections with `ids` (and `followers` started beside the daemon): the socket load, then
    /// the baselines asked for.
    private func measure(
        clients clientCount: Int,
        followers followerCount: Int,
        ids: Workload.IDKind,
        run: Int
    ) async throws -> [String: String] {
        let config =
            try followerCount > 0 && sync ? Self.synchronous(followerCount, adding: daemonConfig) : daemonConfig
        let daemon = try socket == nil ? SpawnedDaemon(arguments: config.map { ["--config", $0] } ?? []) : nil
        let path = socket ?? daemon?.socketPath ?? "./ledgerd.sock"
        let spawned = try (0..<followerCount).map { _ in try SpawnedDaemon(arguments: ["--follow", path]) }
        defer { for follower in spawned { follower.stop() } }
        for follower in spawned { try follower.waitUntilFollowing() }
        let perClient = max(1, events / clientCount / batch)
        let before = try DaemonTotals(socket: path)
        let result = try SocketLoad.run(
            socket: path,
            clients: clientCount,
            requestsPerClient: perClient,
            pace: rate.map { .rate(eventsPerSecond: $0) } ?? .pipeline(pipeline),
            batch: batch,
            payloadBytes: size,
            // Each run gets its own events, so a daemon that is kept (--socket) never sees them twice.
            seed: options.seed &+ UInt64(run) &* 104_729,
            ids: ids
        )
        let after = try DaemonTotals(socket: path)
        let commitBatch = after.averageBatch(since: before)
        daemon?.stop()
        var row = [
            "clients": "\(clientCount)", "followers": "\(followerCount)\(sync && followerCount > 0 ? " sync" : "")",
            "pipeline": rate == nil ? "\(pipeline)" : "open", "batch": "\(batch)",
            "ids": ids.rawValue,
            "events": "\(result.events)",
            "eventsPerSecond": String(format: "%.0f", result.eventsPerSecond),
            "requestsPerSecond": String(format: "%.0f", result.requestsPerSecond),
            "p50ms": Self.ms(result.histogram.valueAtPercentile(50)),
            "p90ms": Self.ms(result.histogram.valueAtPercentile(90)),
            "p99ms": Self.ms(result.histogram.valueAtPercentile(99)),
            "p999ms": Self.ms(result.histogram.valueAtPercentile(99.9)),
            "maxms": Self.ms(result.histogram.max),
            "commitBatch": String(format: "%.1f", commitBatch),
            "commitUs": after.commitMicroseconds(since: before).map { String(format: "%.0f", $0) } ?? "-",
            "daemonCPUus": after.cpuMicrosecondsPerEvent(since: before).map { String(format: "%.1f", $0) } ?? "-",
        ]
        if inProcess {
            // The same workload without the socket: as many callers, each with `pipeline` appends outstanding.
            let local = try await GroupCommitMeasure.measure(
                events: result.events,
                batch: GroupCommitWriter.defaultMaxBatchEvents,
                inFlight: clientCount * pipeline,
                eventsPerRequest: batch,
                payloadBytes: size,
                seed: options.seed,
                ids: ids,
                streams: clientCount
            )
            row["inProcessEventsPerSecond"] = String(format: "%.0f", local.rate)
            row["inProcessCommitBatch"] = String(format: "%.1f", local.averageBatch)
            row["ratio"] = String(format: "%.2f", result.eventsPerSecond / local.rate)
        }
        if raw {
            // The log's records for as many streams as clients, in transactions of the size the daemon committed.
            let rawBatch = max(1, Int(commitBatch.rounded()))
            let rawRate = try RawLMDB.measure(
                events: rawBatch < 10 ? min(result.events, 5000) : result.events,
                batch: rawBatch,
                payloadBytes: size,
                seed: options.seed,
                records: .logRecords(ids: ids, streams: clientCount)
            )
            row["rawEventsPerSecond"] = String(format: "%.0f", rawRate)
            row["rawCommitUs"] = String(format: "%.0f", Double(rawBatch) / rawRate * 1e6)
            row["ratioToRaw"] = String(format: "%.2f", result.eventsPerSecond / rawRate)
        }
        return row
    }

    /// A configuration file: `base` (if any) with `replication.syncFollowers` set to `count`.
    static func synchronous(_ count: Int, adding base: String?) throws -> String {
        let base = try base.map { try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
        var root = base?.objectValue ?? [:]
        var replication = root["replication"]?.objectValue ?? [:]
        replication["syncFollowers"] = .number(.init(count))
        root["replication"] = .object(replication)
        let json = JSONValue.object(root)
        let path = NSTemporaryDirectory() + "ledger-bench-sync-\(getpid()).json"
        try Data(json.canonicalBytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func ms(_ nanoseconds: UInt64) -> String {
        String(format: "%.3f", Double(nanoseconds) / 1e6)
    }
}

/// The daemon's group-commit counters, from `STATUS`, and its CPU time, from `METRICS` (nil when the bench's user
/// may not ask for it: `METRICS` needs the ops role).
struct DaemonTotals {
    var commits: Int64
    var events: Int64
    var cpuSeconds: Double?
    /// The time spent in transactions that wrote events, fsync included.
    var commitSeconds: Double?

    init(socket: String) throws {
        let client = try LineClient(path: socket)
        let reply = try client.request("STATUS")
        let status = try JSONParser.parse(String(reply.dropFirst(3)))
        guard let commits = status["writer"]?["commits"]?.int64Value,
            let events = status["writer"]?["events"]?.int64Value
        else { throw ValidationError("STATUS answered \(reply.prefix(200))") }
        self.commits = commits
        self.events = events
        let metrics = try client.request("METRICS")
        let text = metrics.hasPrefix("OK ") ? try JSONParser.parse(String(metrics.dropFirst(3)))["text"] : nil
        let lines = text?.stringValue?.split(separator: "\n") ?? []
        func value(_ name: String) -> Double? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
        }
        cpuSeconds = value("process_cpu_seconds_total")
        commitSeconds = value("ledger_commit_duration_seconds_sum")
    }

    /// The events per commit since `earlier`.
    func averageBatch(since earlier: DaemonTotals) -> Double {
        Double(events - earlier.events) / Double(max(commits - earlier.commits, 1))
    }

    /// The daemon's CPU time per event written since `earlier`, in microseconds (every thread: event loops, writer,
    /// projection), or nil without `METRICS`.
    func cpuMicrosecondsPerEvent(since earlier: DaemonTotals) -> Double? {
        guard let cpuSeconds, let before = earlier.cpuSeconds, events > earlier.events else { return nil }
        return (cpuSeconds - before) * 1e6 / Double(events - earlier.events)
    }

    /// The daemon's average transaction time since `earlier`, in microseconds, or nil without `METRICS`.
    func commitMicroseconds(since earlier: DaemonTotals) -> Double? {
        guard let commitSeconds, let before = earlier.commitSeconds, commits > earlier.commits else { return nil }
        return (commitSeconds - before) * 1e6 / Double(commits - earlier.commits)
    }
}

/// A `ledgerd` started next to this binary on a temporary directory, for self-contained runs.
final class SpawnedDaemon {
    let process: DaemonProcess
    var socketPath: String { process.socketPath }

    /// Starts `ledgerd` with `arguments`.
    init(arguments: [String] = []) throws {
        setenv("LEDGERD", Self.binary, 0)
        process = try DaemonProcess()
        try process.start(arguments)
    }

    func stop() {
        process.stop()
    }

    /// Waits until this daemon, started with `--follow`, follows its primary.
    func waitUntilFollowing() throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let status = try LineClient(path: socketPath).request("STATUS")
            if status.contains(#""state":"following""#) { return }
            usleep(20_000)
        }
        throw ValidationError("a follower did not start following within 20 s")
    }

    static var binary: String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("ledgerd")
    }
}
