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

    @Option(
        help: """
            The daemon's socket. Without it, a ledgerd is started on a temporary data directory. A run whose events \
            that daemon already holds fails: vary --seed.
            """
    )
    var socket: String?

    @Option(help: "Concurrent client connections (comma-separated to run several).")
    var clients = "1,8,64"

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

    @Option(help: "Event id kind: v7 or v4.")
    var ids: Workload.IDKind = .v7

    @Flag(help: "Also measure the in-process group-commit writer with as many callers and appends in flight.")
    var inProcess = false

    @OptionGroup var options: BenchOptions

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
                pace: rate.map { .rate(eventsPerSecond: $0) } ?? .pipeline(pipeline),
                batch: batch,
                payloadBytes: size,
                seed: options.seed,
                ids: ids
            )
            var row = [
                "clients": "\(clientCount)", "pipeline": rate == nil ? "\(pipeline)" : "open", "batch": "\(batch)",
                "ids": ids.rawValue,
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
                    seed: options.seed,
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
        Report.print(rows, columns: columns, json: options.json)
    }

    static func ms(_ nanoseconds: UInt64) -> String {
        String(format: "%.3f", Double(nanoseconds) / 1e6)
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
