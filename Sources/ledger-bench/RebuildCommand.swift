import ArgumentParser
import Commissioning
import CommissioningScenario
import EventLog
import Foundation
import LMDB
import LedgerJSON
import LedgerTestSupport

/// `ledger-bench rebuild`: how fast the commissioning projections fold a generated log, three ways in one run: the
/// pure fold over decoded events in process (the baseline), a daemon catching up from position 1 at start, and
/// `REBUILD` over the socket (once the checkpoint after the catch-up is saved); with the daemon's peak memory and the size and encoding time of a full checkpoint.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Projection fold and rebuild rates over a generated commissioning log, with peak memory."
    )

    @Option(help: "Approximate number of generated events.")
    var events = 1_000_000

    @OptionGroup var options: BenchOptions

    func run() async throws {
        let proposed = Preload.scenario(events: events, seed: options.seed)
        let decoded = Self.domainEvents(proposed)

        let foldStarted = ContinuousClock.now
        var projections = Projections()
        for event in decoded { projections.apply(event) }
        let foldSeconds = (ContinuousClock.now - foldStarted).seconds
        let encodeStarted = ContinuousClock.now
        let stateBytes = projections.encoded().count
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
        while try Self.checkpointPosition(client) < UInt64(count) { usleep(20_000) }

        let rebuildStarted = ContinuousClock.now
        let reply = try client.request("REBUILD commissioning", timeout: 600)
        let rebuildSeconds = (ContinuousClock.now - rebuildStarted).seconds
        guard reply.hasPrefix(#"OK {"identical":true"#) else { throw ValidationError("REBUILD answered \(reply)") }
        let peak = daemon.processIdentifier.flatMap(ProcessMemory.init)?.peak ?? 0
        daemon.stop()

        let rate = { (seconds: Double) in String(format: "%.0f", Double(count) / seconds) }
        Report.print(
            [
                [
                    "events": "\(count)", "foldEventsPerSecond": rate(foldSeconds),
                    "startCatchUpEventsPerSecond": rate(catchUpSeconds), "rebuildEventsPerSecond": rate(rebuildSeconds),
                    "rebuildVsFold": String(format: "%.2f", foldSeconds / rebuildSeconds),
                    "daemonPeakMiB": String(format: "%.0f", peak),
                    "stateMiB": String(format: "%.0f", Double(stateBytes) / 1_048_576),
                    "encodeSeconds": String(format: "%.2f", encodeSeconds),
                ]
            ],
            columns: [
                "events", "foldEventsPerSecond", "startCatchUpEventsPerSecond", "rebuildEventsPerSecond",
                "rebuildVsFold", "daemonPeakMiB", "stateMiB", "encodeSeconds",
            ],
            json: options.json
        )
    }

    /// The position of the projections' last saved checkpoint, from `STATUS`.
    private static func checkpointPosition(_ client: LineClient) throws -> UInt64 {
        let reply = try client.request("STATUS")
        let status = try JSONParser.parse(String(reply.dropFirst(3)))
        guard let position = status["projections"]?.arrayValue?.first?["checkpoint"]?.int64Value else {
            throw ValidationError("STATUS answered \(reply)")
        }
        return UInt64(position)
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
