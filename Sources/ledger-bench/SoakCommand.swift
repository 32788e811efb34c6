import ArgumentParser
import Foundation
import LedgerTestSupport

/// `ledger-bench soak`: the daemon's resident memory with many events stored and many idle connections open, sampled
/// over a period (is it bounded, and is it flat?).
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Resident memory with N events stored and K idle connections, sampled over a period."
    )

    /// What the stored events are.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// A generated commissioning scenario: the projections hold its facts.
        case commissioning
        /// `x-bench-outcome` events, which every projection ignores: the log alone.
        case bench
    }

    @Option(help: "Approximate number of events stored before the daemon starts.")
    var events = 1_000_000

    @Option(help: "What the events are: commissioning (with projection state) or bench (the log alone).")
    var kind = Kind.commissioning

    @Option(help: "Idle connections held open.")
    var connections = 1000

    @Option(help: "How long to watch, in seconds.")
    var seconds = 600

    @Option(help: "Seconds between samples.")
    var interval = 10

    @OptionGroup var options: BenchOptions

    func run() throws {
        setenv("LEDGERD", SpawnedDaemon.binary, 0)
        let daemon = try DaemonProcess(directory: TemporaryDirectory(prefix: "bench-soak"))
        switch kind {
        case .commissioning:
            _ = try Preload.storeScenario(events: events, seed: options.seed, in: daemon.dataDirectory)
        case .bench:
            try Preload.store(events: events, payloadBytes: 300, seed: options.seed, in: daemon.dataDirectory)
        }
        try daemon.start(timeout: 600)
        defer { daemon.stop() }
        let control = try daemon.connect()
        while try !control.request("STATUS", timeout: 60).contains(#""lag":0,"#) { usleep(50_000) }
        guard let pid = daemon.processIdentifier else { throw ValidationError("ledgerd is not running") }

        var idle = [LineClient]()
        for _ in 0..<connections {
            let client = try daemon.connect()
            guard try client.request("PING") == "PONG" else { throw ValidationError("an idle connection failed") }
            idle.append(client)
        }
        var rows = [[String: String]]()
        let started = ContinuousClock.now
        while true {
            let elapsed = (ContinuousClock.now - started).seconds
            guard try control.request("PING") == "PONG", let memory = ProcessMemory(pid: pid) else {
                throw ValidationError("ledgerd stopped answering")
            }
            rows.append([
                "second": String(format: "%.0f", elapsed), "connections": "\(idle.count)",
                "rssMiB": String(format: "%.0f", memory.rss), "anonymousMiB": String(format: "%.0f", memory.anonymous),
                "fileMiB": String(format: "%.0f", memory.file),
            ])
            guard elapsed < Double(seconds) else { break }
            sleep(UInt32(max(1, interval)))
        }
        Report.print(rows, columns: ["second", "connections", "rssMiB", "anonymousMiB", "fileMiB"], json: options.json)
    }
}
