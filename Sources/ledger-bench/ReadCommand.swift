import ArgumentParser
import EventLog
import Foundation
import LedgerTestSupport

/// `ledger-bench read`: `READALL` streaming every stored event to one client over the socket, next to the log's own
/// in-process read of the same events (pages of 1,000 through `EventLog.readAll`) in the same run.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "READALL streaming to one client vs the log's in-process read of the same events."
    )

    @Option(help: "Events to store and read.")
    var events = 1_000_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @OptionGroup var options: BenchOptions

    func run() throws {
        setenv("LEDGERD", SpawnedDaemon.binary, 0)
        let daemon = try DaemonProcess(directory: TemporaryDirectory(prefix: "bench-read"))
        try Preload.store(events: events, payloadBytes: size, seed: options.seed, in: daemon.dataDirectory)
        let local = try Self.readInProcess(daemon.dataDirectory)

        try daemon.start(timeout: 120)
        defer { daemon.stop() }
        let client = try daemon.connect()
        let started = ContinuousClock.now
        try client.send("READALL")
        var count = 0
        var bytes = 0
        while let line = try client.readLine(timeout: 60) {
            if line.hasPrefix("EVENT ") {
                count += 1
                bytes += line.utf8.count - 6
            } else if line.hasPrefix("END ") {
                break
            } else {
                throw ValidationError("READALL answered \(line.prefix(200))")
            }
        }
        let seconds = (ContinuousClock.now - started).seconds
        guard count == local.events else { throw ValidationError("READALL streamed \(count) of \(local.events)") }

        let rate = Double(count) / seconds
        Report.print(
            [
                [
                    "events": "\(count)", "MiB": String(format: "%.0f", Double(bytes) / 1_048_576),
                    "readAllEventsPerSecond": String(format: "%.0f", rate),
                    "readAllMiBPerSecond": String(format: "%.1f", Double(bytes) / 1_048_576 / seconds),
                    "inProcessEventsPerSecond": String(format: "%.0f", local.rate),
                    "ratio": String(format: "%.2f", rate / local.rate),
                ]
            ],
            columns: [
                "events", "MiB", "readAllEventsPerSecond", "readAllMiBPerSecond", "inProcessEventsPerSecond", "ratio",
            ],
            json: options.json
        )
    }

    /// Reads every event in pages of 1,000, as the daemon does for `READALL`; returns the count and events/s.
    private static func readInProcess(_ directory: String) throws -> (events: Int, rate: Double) {
        let log = try EventLog(configuration: .init(directory: directory))
        let started = ContinuousClock.now
        var next: UInt64 = 1
        var count = 0
        while true {
            let page = try log.readAll(from: next, limit: 1000)
            guard let last = page.last else { break }
            count += page.count
            next = last.position + 1
        }
        return (count, Double(count) / (ContinuousClock.now - started).seconds)
    }
}
