import ArgumentParser
import Commissioning
import CommissioningScenario
import EventLog
import Foundation
import LMDB
import LedgerTestSupport

/// `ledger-bench rebuild`: how fast the commissioning projections fold a generated log, three ways in one run: the
/// pure fold over decoded events in process (the baseline), a daemon catching up from position 1 at start, and
/// `REBUILD` over the socket (once the checkpoint after the catch-up is saved); with the daemon's peak memory and the
/// size and encoding time of a full checkpoint. With `--repeat`, the pure fold and `REBUILD` run that many times, one
/// after the other, so that one invocation shows how much the machine drifts.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Projection fold and rebuild rates over a generated commissioning log, with peak memory."
    )

    @Option(help: "Approximate number of generated events.")
    var events = 1_000_000

    @Option(
        name: .customLong("repeat"),
        help: "Pure folds and REBUILDs, one after the other, on the same daemon, with a median row after them."
    )
    var repeats = 1

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() async throws {
        let proposed = Preload.scenario(events: events, seed: options.seed)
        let decoded = Self.domainEvents(proposed)

        let first = Self.fold(decoded)
        let encodeStarted = ContinuousClock.now
        let stateBytes = first.projections.encoded().count
        let encodeSeconds = (ContinuousClock.now - encodeStarted).seconds

        setenv("LEDGERD", SpawnedDaemon.binary, 0)
        let daemon = try DaemonProcess(directory: TemporaryDirectory(prefix: "bench-rebuild"))
        try Preload.store(proposed, in: daemon.dataDirectory)

        let startStarted = ContinuousClock.now
        try daemon.start(timeout: 120)
        let client = try daemon.connect()
        let count = proposed.count
        while try !client.request("STATUS").contains(#""lag":0,"#) { usleep(10_000) }
        let catchUpSeconds = (ContinuousClock.now - startStarted).seconds
        // REBUILD is timed on its own, not behind the first checkpoint (every fact, the first time) saved after the
        // catch-up.
        while try DaemonStatus(client).checkpoint < Int64(count) { usleep(20_000) }

        let rate = { (seconds: Double) in String(format: "%.0f", Double(count) / seconds) }
        var rows = [[String: String]]()
        for run in 1...repeats {
            let foldSeconds = run == 1 ? first.seconds : Self.fold(decoded).seconds
            let rebuildStarted = ContinuousClock.now
            let reply = try client.request("REBUILD commissioning", timeout: 600)
            let rebuildSeconds = (ContinuousClock.now - rebuildStarted).seconds
            guard reply.hasPrefix(#"OK {"identical":true"#) else { throw ValidationError("REBUILD answered \(reply)") }
            var row = [
                "run": "\(run)", "events": "\(count)", "foldEventsPerSecond": rate(foldSeconds),
                "rebuildEventsPerSecond": rate(rebuildSeconds),
                "rebuildVsFold": String(format: "%.2f", foldSeconds / rebuildSeconds),
            ]
            if run == 1 {
                // Measured once: the start-up catch-up, and the full checkpoint's size and encoding.
                row["startCatchUpEventsPerSecond"] = rate(catchUpSeconds)
                row["stateMiB"] = String(format: "%.0f", Double(stateBytes) / 1_048_576)
                row["encodeSeconds"] = String(format: "%.2f", encodeSeconds)
            }
            rows.append(row)
        }
        let peak = daemon.processIdentifier.flatMap(ProcessMemory.init)?.peak ?? 0
        daemon.stop()
        for index in rows.indices { rows[index]["daemonPeakMiB"] = String(format: "%.0f", peak) }
        if repeats > 1 { rows.append(Report.medians(of: rows)) }
        Report.print(
            rows,
            columns: [
                "run", "events", "foldEventsPerSecond", "startCatchUpEventsPerSecond", "rebuildEventsPerSecond",
                "rebuildVsFold", "daemonPeakMiB", "stateMiB", "encodeSeconds",
            ],
            json: options.json
        )
    }

    /// The pure fold of `events` into fresh projections, and how long it took.
    private static func fold(_ events: [DomainEvent]) -> (projections: Projections, seconds: Double) {
        let started = ContinuousClock.now
        var projections = Projections()
        for event in events { projections.apply(event) }
        return (projections, (ContinuousClock.now - started).seconds)
    }

    /// The events as the projections see them, numbered in order, with the generator's clock as `recorded`.
    private static func domainEvents(_ proposed: [ProposedDomainEvent]) -> [DomainEvent] {
        var versions = [String: UInt64]()
        return proposed.enumerated().map { index, event in
            versions[event.stream, default: 0] += 1
            return DomainEvent(
                position: UInt64(index + 1),
                stream: event.stream,
                version: versions[event.stream] ?? 1,
                id: event.id,
                type: event.type,
                recorded: RecordedTime(microseconds: event.milliseconds * 1000).description,
                data: event.data,
                meta: event.meta
            )
        }
    }
}
