import ArgumentParser
import Foundation
import LedgerTestSupport

/// `ledger-bench consume`: how fast a durable consumer reads a filled log and has its acknowledgements stored, next
/// to a plain `SUBSCRIBE` reading the same log, in the same run, through the same line client.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "A durable consumer's delivery and acknowledgement rate beside SUBSCRIBE's, over a filled log."
    )

    @Option(help: "Events in the log, appended first in batches of 100.")
    var events = 200_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @Option(help: "Acknowledge every this many events (comma-separated: one consumer run each).")
    var ackEvery: CommaSeparated<Int> = [1, 100]

    @OptionGroup var options: BenchOptions

    func run() throws {
        let daemon = try SpawnedDaemon()
        defer { daemon.stop() }
        let batches = max(1, events / 100)
        _ = try SocketLoad.run(
            socket: daemon.socketPath,
            clients: 1,
            requestsPerClient: batches,
            pace: .pipeline(64),
            batch: 100,
            payloadBytes: size,
            seed: options.seed,
            ids: .v7
        )
        let head = UInt64(batches * 100)
        let subscribed = try Self.read(socket: daemon.socketPath, request: "SUBSCRIBE 1", through: head, ackEvery: nil)
        var rows = [
            Self.row("subscribe", head: head, seconds: subscribed, baseline: subscribed)
        ]
        for (index, every) in ackEvery.values.enumerated() {
            let seconds = try Self.read(
                socket: daemon.socketPath,
                request: "CONSUME bench-\(index)",
                through: head,
                ackEvery: max(1, every)
            )
            rows.append(Self.row("consume, ack every \(every)", head: head, seconds: seconds, baseline: subscribed))
        }
        Report.print(rows, columns: ["mode", "events", "seconds", "eventsPerSecond", "ratio"], json: options.json)
    }

    /// Sends `request`, reads events through position `head` (acknowledging every `ackEvery` and the last, then
    /// waiting for the `ACKED` of `head`) and returns the seconds taken.
    private static func read(socket: String, request: String, through head: UInt64, ackEvery: Int?) throws -> Double {
        let client = try LineClient(path: socket)
        let started = ContinuousClock.now
        try client.send(request)
        var count: UInt64 = 0
        var acked = false
        while !(count == head && (ackEvery == nil || acked)) {
            guard let line = try client.readLine(timeout: 60) else {
                throw ValidationError("\(request) ended after \(count) events")
            }
            if line.hasPrefix("EVENT ") {
                count += 1
                if let every = ackEvery, count % UInt64(every) == 0 || count == head { try client.send("ACK \(count)") }
            } else if line == "ACKED {\"position\":\(head)}" {
                acked = true
            } else if line.hasPrefix("ERR ") {
                throw ValidationError("\(request): \(line)")
            }
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        try client.send("UNSUBSCRIBE")
        return seconds
    }

    private static func row(_ mode: String, head: UInt64, seconds: Double, baseline: Double) -> [String: String] {
        [
            "mode": mode, "events": "\(head)", "seconds": String(format: "%.2f", seconds),
            "eventsPerSecond": String(format: "%.0f", Double(head) / seconds),
            "ratio": String(format: "%.2f", baseline / seconds),
        ]
    }
}
