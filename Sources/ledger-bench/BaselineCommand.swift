import ArgumentParser
import Foundation

/// `ledger-bench baseline`: raw LMDB puts of event-sized values, in process, durable per batch.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Raw LMDB puts of event-sized values through the storage layer (the ceiling for the ledger)."
    )

    @Option(help: "Events to write.")
    var events = 200_000

    @Option(help: "Comma-separated transaction batch sizes.")
    var batches = "1,100,1000"

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Seed for deterministic content.")
    var seed: UInt64 = 42

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var rows = [[String: String]]()
        for batch in batches.split(separator: ",").compactMap({ Int($0) }) {
            let count = batch == 1 ? min(events / 10, 5000) : events
            let rate = try RawLMDB.measure(events: count, batch: batch, payloadBytes: size, seed: seed)
            rows.append(["batch": "\(batch)", "events": "\(count)", "eventsPerSecond": String(format: "%.0f", rate)])
        }
        Report.print(rows, columns: ["batch", "events", "eventsPerSecond"], json: json)
    }
}
