import ArgumentParser
import EventLog
import Foundation
import Histogram
import LedgerTestSupport
import Synchronization

/// `ledger-bench append`: durable appends over the socket from many clients, with latency percentiles.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Durable APPENDs over the Unix socket from N clients; events/s and latency percentiles."
    )

    @Option(help: "The daemon's socket. Without it, a ledgerd is started on a temporary data directory.")
    var socket: String?

    @Option(help: "Concurrent client connections (comma-separated to run several).")
    var clients = "1,8,64"

    @Option(help: "Requests each client keeps in flight.")
    var pipeline = 1

    @Option(help: "Events per APPEND.")
    var batch = 1

    @Option(help: "Events per run.")
    var events = 50_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Event id kind: v7 or v4.")
    var ids: Workload.IDKind = .v7

    @Option(help: "Seed for deterministic content (events already stored under --socket make the run fail: vary it).")
    var seed: UInt64 = 42

    @Flag(help: "Also measure the in-process group-commit writer with as many callers and appends in flight.")
    var inProcess = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var rows = [[String: String]]()
        for clientCount in clients.split(separator: ",").compactMap({ Int($0) }) {
            let daemon = try socket == nil ? SpawnedDaemon() : nil
            let path = socket ?? daemon?.socketPath ?? "./ledgerd.sock"
            let perClient = max(1, events / clientCount / batch)
            let result = try SocketLoad.run(
                socket: path,
                clients: clientCount,
                requestsPerClient: perClient,
                pipeline: pipeline,
                batch: batch,
                payloadBytes: size,
                seed: seed,
                ids: ids
            )
            var row = [
                "clients": "\(clientCount)", "pipeline": "\(pipeline)", "batch": "\(batch)", "ids": ids.rawValue,
                "events": "\(result.events)",
                "eventsPerSecond": String(format: "%.0f", result.eventsPerSecond),
                "requestsPerSecond": String(format: "%.0f", result.requestsPerSecond),
                "p50ms": Self.ms(result.histogram.valueAtPercentile(50)),
                "p90ms": Self.ms(result.histogram.valueAtPercentile(90)),
                "p99ms": Self.ms(result.histogram.valueAtPercentile(99)),
                "p999ms": Self.ms(result.histogram.valueAtPercentile(99.9)),
                "maxms": Self.ms(result.histogram.max),
            ]
            daemon?.stop()
            if inProcess {
                // The same workload without the socket: as many callers, each with `pipeline` appends outstanding.
                let local = try await GroupCommitMeasure.measure(
                    events: result.events,
                    batch: GroupCommitWriter.defaultMaxBatchEvents,
                    inFlight: clientCount * pipeline,
                    eventsPerRequest: batch,
                    payloadBytes: size,
                    seed: seed,
                    ids: ids,
                    streams: clientCount
                )
                row["inProcessEventsPerSecond"] = String(format: "%.0f", local.rate)
                row["ratio"] = String(format: "%.2f", result.eventsPerSecond / local.rate)
            }
            rows.append(row)
        }
        var columns = [
            "clients", "pipeline", "batch", "ids", "events", "eventsPerSecond", "requestsPerSecond", "p50ms", "p90ms",
            "p99ms", "p999ms", "maxms",
        ]
        if inProcess { columns += ["inProcessEventsPerSecond", "ratio"] }
        Report.print(rows, columns: columns, json: json)
    }

    static func ms(_ nanoseconds: UInt64) -> String {
        String(format: "%.3f", Double(nanoseconds) / 1e6)
    }
}

/// Drives the socket from many client connections, all from one thread.
enum SocketLoad {
    struct Result {
        var events: Int
        var eventsPerSecond: Double
        var requestsPerSecond: Double
        var histogram: Histogram<UInt64>
    }

    static func run(
        socket: String,
        clients: Int,
        requestsPerClient: Int,
        pipeline: Int,
        batch: Int,
        payloadBytes: Int,
        seed: UInt64,
        ids: Workload.IDKind
    ) throws -> Result {
        let lines: [[String]] = (0..<clients).map { client in
            // Each client of each client count gets its own ids, so runs of one invocation never repeat each other.
            let clientSeed = seed &+ UInt64(clients) &* 1_000_003 &+ UInt64(client) &* 7919
            var workload = Workload(seed: clientSeed, idKind: ids, payloadBytes: payloadBytes)
            return (0..<requestsPerClient).map { _ in
                let events = (0..<batch).map { _ in workload.nextEventJSON() }
                let body = batch == 1 ? events[0] : "[" + events.joined(separator: ",") + "]"
                return "APPEND bench-\(client) any \(body)"
            }
        }
        let connections = try lines.map { _ in try LineClient(path: socket) }
        let started = ContinuousClock.now
        let latencies = try drive(connections, lines: lines, pipeline: pipeline)
        let elapsed = (ContinuousClock.now - started).seconds
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for value in latencies { _ = histogram.record(value) }
        let requests = clients * requestsPerClient
        return Result(
            events: requests * batch,
            eventsPerSecond: Double(requests * batch) / elapsed,
            requestsPerSecond: Double(requests) / elapsed,
            histogram: histogram
        )
    }

    /// Sends each connection's lines keeping `pipeline` in flight on each, from this one thread (waiting in `poll`
    /// for whichever connection answers next, as an event-driven client does); returns every request's latency in
    /// nanoseconds.
    private static func drive(_ connections: [LineClient], lines: [[String]], pipeline: Int) throws -> [UInt64] {
        var sentAt = lines.map { [ContinuousClock.Instant](repeating: .now, count: $0.count) }
        var sent = [Int](repeating: 0, count: connections.count)
        var answered = [Int](repeating: 0, count: connections.count)
        var latencies = [UInt64]()
        latencies.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        func sendNext(_ client: Int) throws {
            sentAt[client][sent[client]] = .now
            try connections[client].send(lines[client][sent[client]])
            sent[client] += 1
        }
        for client in connections.indices {
            while sent[client] < min(pipeline, lines[client].count) { try sendNext(client) }
        }
        var pending = connections.indices.filter { answered[$0] < lines[$0].count }
        while !pending.isEmpty {
            var polled = pending.map { pollfd(fd: connections[$0].descriptor, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), 60_000) > 0 else {
                throw LineClient.Failure(description: "no reply within 60 s")
            }
            for (slot, client) in pending.enumerated() where polled[slot].revents != 0 {
                guard let replies = connections[client].receivedLines() else {
                    throw LineClient.Failure(description: "the daemon closed a connection")
                }
                for reply in replies {
                    guard reply.hasPrefix("OK ") else {
                        throw LineClient.Failure(description: "unexpected reply: \(reply.prefix(200))")
                    }
                    // A duplicate writes nothing, so it would make the run look faster than durable appends are.
                    guard !reply.hasPrefix(#"OK {"duplicate":true"#) else {
                        throw LineClient.Failure(
                            description:
                                "the daemon already holds these events: use another --seed or a fresh data directory"
                        )
                    }
                    let elapsed = ContinuousClock.now - sentAt[client][answered[client]]
                    latencies.append(
                        UInt64(elapsed.components.seconds) * 1_000_000_000
                            + UInt64(elapsed.components.attoseconds / 1_000_000_000)
                    )
                    answered[client] += 1
                    if sent[client] < lines[client].count { try sendNext(client) }
                }
            }
            pending = pending.filter { answered[$0] < lines[$0].count }
        }
        return latencies
    }
}

/// A `ledgerd` started next to this binary on a temporary directory, for self-contained runs.
final class SpawnedDaemon {
    let process: DaemonProcess
    var socketPath: String { process.socketPath }

    init() throws {
        setenv("LEDGERD", Self.binary, 0)
        process = try DaemonProcess()
        try process.start()
    }

    func stop() {
        process.stop()
    }

    static var binary: String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("ledgerd")
    }
}
