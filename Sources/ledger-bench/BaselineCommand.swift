import ArgumentParser
import Foundation

/// `ledger-bench baseline`: raw LMDB puts, in process, durable per batch: envelope-sized values alone, and the full
/// set of records the log writes per event (envelope, id and stream index entries, leaf hashes, state).
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Raw LMDB puts of event-sized values through the storage layer (the ceiling for the ledger)."
    )

    @Option(help: "Events to write.")
    var events = 200_000

    @Option(help: "Comma-separated transaction batch sizes.")
    var batches: CommaSeparated<Int> = [1, 100, 1000]

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Event id kind for the log records: v7 or v4.")
    var ids = Workload.IDKind.v7

    @Option(help: "Streams the log records' stream index entries are spread over, round robin.")
    var streams = 64

    @OptionGroup var options: BenchOptions

    func validate() throws {
        try batches.validatePositive("batches")
    }

    func run() async throws {
        var rows = [[String: String]]()
        for batch in batches.values {
            let count = batch == 1 ? min(events / 10, 5000) : events
            let (envelopes, records) = try RawLMDB.measureBoth(
                events: count,
                batch: batch,
                payloadBytes: size,
                seed: options.seed,
                ids: ids,
                streams: streams
            )
            rows.append([
                "batch": "\(batch)", "events": "\(count)",
                "envelopesPerSecond": String(format: "%.0f", envelopes),
                "logRecordsPerSecond": String(format: "%.0f", records),
            ])
        }
        Report.print(
            rows,
            columns: ["batch", "events", "envelopesPerSecond", "logRecordsPerSecond"],
            json: options.json
        )
    }
}
