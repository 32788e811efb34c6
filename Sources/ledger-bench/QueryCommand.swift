import ArgumentParser
import Foundation
import Histogram
import LedgerTestSupport

/// `ledger-bench query`: every `QUERY` form on a generated commissioning history of N events, from several clients
/// at once: rows, latency percentiles and the fold's lag for each, with the daemon's memory, disk use and start-up;
/// with `--with-appends`, open-loop appends alone and then beside queries of every form, in the same run.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Every QUERY form on a generated history of N events from several clients: latency, rows, lag."
    )

    @Option(help: "Approximate number of generated events.")
    var events = 1_000_000

    @Option(help: "Client connections asking at once, each waiting for its answer before the next.")
    var clients = 4

    @Option(help: "Calls of each form, spread over the clients.")
    var calls = 21

    @Flag(help: "Ask every form's calls interleaved in one run, instead of one form after another.")
    var mixed = false

    @Option(
        help: """
            A directory keeping the generated ledger between runs: generated there when empty, reused after (the \
            appends of --with-appends stay in it too).
            """
    )
    var dataDir: String?

    @Option(
        name: .customLong("with-appends"),
        help: """
            Then also append this many events/s (open loop, one event per APPEND), first alone and then beside \
            queries of every form, and compare their latency.
            """
    )
    var appendRate: Double?

    @Option(help: "Seconds of appends alone, and as many beside queries.")
    var appendSeconds = 10.0

    @Option(help: "Connections the appends come from.")
    var appendClients = 16

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard events >= 1, clients >= 1, calls >= 1, appendClients >= 1, appendSeconds > 0 else {
            throw ValidationError(
                "--events, --clients, --calls, --append-clients and --append-seconds must be positive"
            )
        }
        if let appendRate, appendRate <= 0 { throw ValidationError("--with-appends must be positive") }
    }

    func run() throws {
        setenv("LEDGERD", SpawnedDaemon.binary, 0)
        let temporary = try TemporaryDirectory(prefix: "bench-query")
        let ledger = try QueryLedger(in: dataDir ?? temporary.path, events: events, seed: options.seed)
        let daemon = try DaemonProcess(directory: temporary, dataDirectory: ledger.dataDirectory)
        var summary = try start(daemon, ledger: ledger)
        guard let pid = daemon.processIdentifier else { throw ValidationError("ledgerd is not running") }

        let lag = LagWatch(socket: daemon.socketPath)
        let forms = ledger.targets.forms
        let requests = forms.map { "QUERY " + $0 }
        var rows = [[String: String]]()
        if mixed {
            let schedule = (0..<calls).flatMap { _ in forms.indices }
            let answers = try QueryLoad.measure(
                socket: daemon.socketPath,
                requests: requests,
                schedule: schedule,
                clients: clients
            )
            let largest = try lag.take()
            rows += forms.indices.map { Self.row(forms[$0], answers[$0], lag: largest) }
        } else {
            for index in forms.indices {
                let answers = try QueryLoad.measure(
                    socket: daemon.socketPath,
                    requests: requests,
                    schedule: Array(repeating: index, count: calls),
                    clients: clients
                )
                rows.append(Self.row(forms[index], answers[index], lag: try lag.take()))
            }
        }
        if let appendRate {
            rows += try appends(at: appendRate, beside: requests, daemon: daemon, lag: lag)
        }
        lag.stop()
        let end = ProcessMemory(pid: pid)
        summary["endRssMiB"] = end.map { String(format: "%.0f", $0.rss) }
        summary["endAnonymousMiB"] = end.map { String(format: "%.0f", $0.anonymous) }
        summary["peakMiB"] = end.map { String(format: "%.0f", $0.peak) }
        // A clean stop saves the last checkpoint, so that a kept ledger restarts from it.
        guard daemon.stop(timeout: 600) == 0 else {
            throw ValidationError("ledgerd did not stop cleanly: \(daemon.log)")
        }
        print(summary: summary, rows: rows)
    }

    /// Starts the daemon and waits until it has caught up and saved a checkpoint of everything; how long that took,
    /// its memory then, and the disk the ledger takes.
    private func start(_ daemon: DaemonProcess, ledger: QueryLedger) throws -> [String: String] {
        let started = ContinuousClock.now
        try daemon.start(timeout: 600)
        let serving = (ContinuousClock.now - started).seconds
        let client = try daemon.connect()
        let status = try DaemonStatus(client)
        // The first answer that reflects the whole stored log (`AFTER` waits at most 5 s, then times out).
        let query = "QUERY AFTER \(status.head) market commissioner \(ledger.targets.commissioner)"
        while true {
            try client.send(query)
            let reply = try client.readSequence(timeout: 3600).last ?? ""
            if reply.hasPrefix("END ") { break }
            guard reply.hasPrefix("ERR TIMEOUT") else { throw ValidationError("\(query) answered \(reply)") }
        }
        let answering = (ContinuousClock.now - started).seconds
        // The first checkpoint after a catch-up holds every fact: not measured beside the queries.
        while try DaemonStatus(client, timeout: 3600).checkpoint < status.head { usleep(100_000) }
        guard let memory = daemon.processIdentifier.flatMap(ProcessMemory.init) else {
            throw ValidationError("cannot read the daemon's memory")
        }
        return [
            "form": "ledger", "events": "\(status.head)",
            "generateSeconds": String(format: "%.1f", ledger.generateSeconds),
            "generateHeapMiB": String(format: "%.0f", ledger.generateHeapMiB),
            "generated": ledger.generated ? "now" : "reused", "start": status.checkpoint > 0 ? "checkpoint" : "log",
            "servingSeconds": String(format: "%.3f", serving), "answeringSeconds": String(format: "%.3f", answering),
            "rssMiB": String(format: "%.0f", memory.rss), "anonymousMiB": String(format: "%.0f", memory.anonymous),
            "logBytesPerEvent": String(format: "%.0f", ledger.logBytesPerEvent),
            "bytesPerEvent": String(format: "%.0f", Double(try DaemonStatus(client).mapUsed) / Double(status.head)),
        ]
    }

    /// Appends at `rate` for `appendSeconds` alone, then as long again beside every form of `requests` asked from
    /// `clients` connections in turn; the rows of both, and of the queries beside them.
    private func appends(
        at rate: Double,
        beside requests: [String],
        daemon: DaemonProcess,
        lag: LagWatch
    ) throws -> [[String: String]] {
        // Seeds from the head, so that the events of a kept ledger's next run are new ones.
        let head = try DaemonStatus(daemon.connect()).head
        func load(_ run: UInt64) throws -> SocketLoad.Result {
            try SocketLoad.run(
                socket: daemon.socketPath,
                clients: appendClients,
                requestsPerClient: max(1, Int(rate * appendSeconds) / appendClients),
                pace: .rate(eventsPerSecond: rate),
                batch: 1,
                payloadBytes: 300,
                seed: options.seed &+ UInt64(head) &+ run,
                ids: .v7
            )
        }
        let label = String(format: "%.0f/s", rate)
        let alone = try load(0)
        var aloneRow = Self.row("APPEND \(label) alone", alone.histogram, calls: alone.events, lag: try lag.take())

        let queries = QueryLoad(
            socket: daemon.socketPath,
            requests: requests,
            schedule: Array(requests.indices),
            clients: clients,
            cycling: true
        )
        let beside = try load(1)
        queries.stop()
        let answers = try queries.wait().flatMap { $0 }
        let besideLag = try lag.take()
        var besideRow = Self.row(
            "APPEND \(label) beside queries",
            beside.histogram,
            calls: beside.events,
            lag: besideLag
        )
        let ratio =
            Double(beside.histogram.valueAtPercentile(99)) / Double(max(alone.histogram.valueAtPercentile(99), 1))
        besideRow["p99VsAlone"] = String(format: "%.2f", ratio)
        aloneRow["p99VsAlone"] = "1.00"
        var queriesRow = Self.row("QUERY every form, beside appends", answers, lag: besideLag)
        queriesRow["rows"] = nil
        return [aloneRow, besideRow, queriesRow]
    }

    /// A row of the answers to one form (or several).
    private static func row(_ form: String, _ answers: [AnswerReader.Answer], lag: Int64) -> [String: String] {
        var latency = histogram()
        var firstRow = histogram()
        for answer in answers {
            _ = latency.record(UInt64(answer.total / .nanoseconds(1)))
            _ = firstRow.record(UInt64(answer.firstRow / .nanoseconds(1)))
        }
        let errors = answers.compactMap(\.error)
        if let error = errors.first { FileHandle.standardError.write(Data("\(form): \(error)\n".utf8)) }
        var row = Self.row(form, latency, calls: answers.count, lag: lag)
        row["rows"] = answers.last.map { "\($0.rows)" } ?? ""
        row["errors"] = "\(errors.count)"
        row["firstRowP99ms"] = AppendCommand.ms(firstRow.valueAtPercentile(99))
        return row
    }

    private static func row(_ form: String, _ latency: Histogram<UInt64>, calls: Int, lag: Int64) -> [String: String] {
        [
            "form": form, "calls": "\(calls)", "p50ms": AppendCommand.ms(latency.valueAtPercentile(50)),
            "p99ms": AppendCommand.ms(latency.valueAtPercentile(99)), "maxms": AppendCommand.ms(latency.max),
            "maxLag": "\(lag)",
        ]
    }

    private static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Two tables (the ledger, then the forms), or one JSON array of both.
    private func print(summary: [String: String], rows: [[String: String]]) {
        let ledgerColumns = [
            "events", "generated", "generateSeconds", "generateHeapMiB", "start", "servingSeconds", "answeringSeconds",
            "rssMiB", "anonymousMiB", "endRssMiB", "endAnonymousMiB", "peakMiB", "logBytesPerEvent", "bytesPerEvent",
        ]
        let formColumns = [
            "form", "rows", "calls", "errors", "p50ms", "p99ms", "maxms", "firstRowP99ms", "maxLag", "p99VsAlone",
        ]
        if options.json {
            Report.print([summary] + rows, columns: formColumns + ledgerColumns, json: true)
        } else {
            Report.print([summary], columns: ledgerColumns, json: false)
            Swift.print()
            Report.print(rows, columns: formColumns, json: false)
        }
    }
}
