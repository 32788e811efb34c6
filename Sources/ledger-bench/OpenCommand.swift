import ArgumentParser
import CommissioningScenario
import Foundation
import LedgerTestSupport

/// `ledger-bench open`: how long `ledgerd` takes from being started to answering `PING`, and to answering a
/// projection query that reflects every stored event, with a generated commissioning log stored: first with no
/// checkpoint (the projections catch up from position 1), then after a clean shutdown (they restore their checkpoint).
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Start-up time with many events stored: to serving, and to answering queries, with peak memory."
    )

    @Option(help: "Approximate number of generated events.")
    var events = 1_000_000

    @OptionGroup var options: BenchOptions

    func run() throws {
        setenv("LEDGERD", SpawnedDaemon.binary, 0)
        let daemon = try DaemonProcess(directory: TemporaryDirectory(prefix: "bench-open"))
        var landmarks = ScenarioLandmarks()
        let count = try Preload.storeScenario(events: events, seed: options.seed, in: daemon.dataDirectory) {
            landmarks.observe($0)
        }
        guard let commissioner = landmarks.commissioner else {
            throw ValidationError("the scenario has no commissioner")
        }
        // Read-your-writes: the answer must reflect the whole stored log, wherever the projections start from.
        let query = "QUERY AFTER \(count) market commissioner \(commissioner)"
        var rows = [[String: String]]()
        for start in ["no checkpoint", "checkpoint"] {
            let started = ContinuousClock.now
            try daemon.start(timeout: 600)
            let serving = (ContinuousClock.now - started).seconds
            let client = try daemon.connect()
            var answered = 0.0
            while true {
                try client.send(query)
                let reply = try client.readSequence(timeout: 600).last ?? ""
                if reply.hasPrefix("END ") {
                    answered = (ContinuousClock.now - started).seconds
                    break
                }
                guard reply.hasPrefix("ERR TIMEOUT") else { throw ValidationError("\(query) answered \(reply)") }
            }
            while try !client.request("STATUS").contains(#""lag":0,"#) { usleep(10_000) }
            let caughtUp = (ContinuousClock.now - started).seconds
            let peak = daemon.processIdentifier.flatMap(ProcessMemory.init)?.peak ?? 0
            guard daemon.stop() == 0 else { throw ValidationError("ledgerd did not stop cleanly: \(daemon.log)") }
            rows.append([
                "events": "\(count)", "start": start,
                "servingSeconds": String(format: "%.3f", serving),
                "queryAnsweredSeconds": String(format: "%.3f", answered),
                "caughtUpSeconds": String(format: "%.3f", caughtUp),
                "peakMiB": String(format: "%.0f", peak),
            ])
        }
        Report.print(
            rows,
            columns: ["events", "start", "servingSeconds", "queryAnsweredSeconds", "caughtUpSeconds", "peakMiB"],
            json: options.json
        )
    }
}
