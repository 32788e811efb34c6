import ArgumentParser
import EventLog
import Foundation
import Histogram
import LedgerJSON
import LedgerTestSupport
import Synchronization

/// `ledger-bench subscribe`: fan-out to K live subscribers while writers append; the delivery lag of each event to
/// each subscriber (from its `recorded` time, stamped in the commit, to its arrival), next to the same writers'
/// append rate with no subscribers, measured in the same run.
struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Live fan-out to K subscribers while writers append: delivery lag percentiles."
    )

    @Option(help: "Live subscribers.")
    var subscribers = 16

    @Option(help: "Writer connections, one event per APPEND each.")
    var writers = 8

    @Option(help: "Events appended while the subscribers listen (the same again before, with none).")
    var events = 20_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @OptionGroup var options: BenchOptions

    func run() throws {
        let daemon = try SpawnedDaemon()
        defer { daemon.stop() }
        let perWriter = max(1, events / writers)
        let load = { (seed: UInt64) in
            try SocketLoad.run(
                socket: daemon.socketPath,
                clients: writers,
                requestsPerClient: perWriter,
                pace: .pipeline(1),
                batch: 1,
                payloadBytes: size,
                seed: seed,
                ids: .v7
            )
        }
        let alone = try load(options.seed)

        let hello = try daemon.process.connect().request("HELLO")
        guard hello.hasPrefix("OK "), let head = try? JSONParser.parse(String(hello.dropFirst(3)))["head"]?.int64Value
        else { throw ValidationError("HELLO answered \(hello)") }
        let position = UInt64(max(0, head))
        let listeners = try (0..<subscribers).map { _ in try Listener(socket: daemon.socketPath, from: position + 1) }
        let group = DispatchGroup()
        for listener in listeners {
            group.enter()
            Thread {
                listener.listen(for: perWriter * writers)
                group.leave()
            }.start()
        }
        let together = try load(options.seed &+ 1)
        guard group.wait(timeout: .now() + 60) == .success else {
            throw ValidationError("subscribers did not receive every event within 60 s")
        }

        var lag = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for listener in listeners {
            let outcome = listener.outcome.withLock { $0 }
            if let failure = outcome.failure { throw ValidationError("a subscriber failed: \(failure)") }
            for value in outcome.lags { _ = lag.record(value) }
        }
        let ms = AppendCommand.ms
        Report.print(
            [
                [
                    "subscribers": "\(subscribers)", "writers": "\(writers)", "events": "\(together.events)",
                    "deliveries": "\(lag.totalCount)",
                    "appendEventsPerSecond": String(format: "%.0f", together.eventsPerSecond),
                    "aloneEventsPerSecond": String(format: "%.0f", alone.eventsPerSecond),
                    "ratio": String(format: "%.2f", together.eventsPerSecond / alone.eventsPerSecond),
                    "lagP50ms": ms(lag.valueAtPercentile(50)), "lagP90ms": ms(lag.valueAtPercentile(90)),
                    "lagP99ms": ms(lag.valueAtPercentile(99)), "lagP999ms": ms(lag.valueAtPercentile(99.9)),
                    "lagMaxms": ms(lag.max),
                ]
            ],
            columns: [
                "subscribers", "writers", "events", "deliveries", "appendEventsPerSecond", "aloneEventsPerSecond",
                "ratio", "lagP50ms", "lagP90ms", "lagP99ms", "lagP999ms", "lagMaxms",
            ],
            json: options.json
        )
    }
}

/// One live subscriber: subscribes from a position, waits for `LIVE`, then records each event's delivery lag.
private final class Listener: Sendable {
    struct Outcome {
        var lags: [UInt64] = []
        var failure: String?
    }

    let outcome = Mutex(Outcome())
    private let client: Mutex<LineClient>

    init(socket: String, from position: UInt64) throws {
        let client = try LineClient(path: socket)
        try client.send("SUBSCRIBE \(position)")
        guard let live = try client.readLine(timeout: 30), live.hasPrefix("LIVE ") else {
            throw ValidationError("SUBSCRIBE did not go live")
        }
        self.client = Mutex(client)
    }

    /// Reads `count` events, recording for each the nanoseconds from its `recorded` time to its arrival.
    func listen(for count: Int) {
        var lags = [UInt64]()
        lags.reserveCapacity(count)
        do {
            try client.withLock { client in
                while lags.count < count {
                    guard let line = try client.readLine(timeout: 60), line.hasPrefix("EVENT ") else {
                        throw LineClient.Failure(description: "the subscription ended after \(lags.count) events")
                    }
                    let arrived = UInt64(Date().timeIntervalSince1970 * 1_000_000)
                    guard let start = line.range(of: #""recorded":""#)?.upperBound,
                        let recorded = RecordedTime(String(line[start...].prefix(27)))
                    else { throw LineClient.Failure(description: "an event without a recorded time") }
                    lags.append(arrived > recorded.microseconds ? (arrived - recorded.microseconds) * 1000 : 0)
                }
            }
        } catch {
            outcome.withLock { $0.failure = "\(error)" }
        }
        outcome.withLock { $0.lags = lags }
    }
}
