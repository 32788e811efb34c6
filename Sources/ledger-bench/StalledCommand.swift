import ArgumentParser
import Foundation
import LedgerTestSupport

/// `ledger-bench stalled`: K subscribers that send `SUBSCRIBE 1` on a log of M megabytes and never read. The
/// daemon's resident memory before, at its peak beside them and once they are dropped, and the latency of appends
/// beside them next to the same appends with none, measured in the same run.
struct StalledCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stalled",
        abstract: "Subscribers that never read: the daemon's memory, and appends beside them."
    )

    @Option(help: "Subscribers that never read.")
    var subscribers = 100

    @Option(help: "Megabytes of events in the log (2.9 kB each) before they subscribe.")
    var megabytes = 20

    @Option(help: "Appends timed with no subscriber, and at least as many beside them.")
    var appends = 200

    @OptionGroup var options: BenchOptions

    func run() throws {
        let daemon = try SpawnedDaemon()
        defer { daemon.stop() }
        guard let pid = daemon.process.processIdentifier else { throw ValidationError("ledgerd is not running") }
        let writer = try daemon.process.connect()
        try fill(writer)
        Thread.sleep(forTimeInterval: 1)
        let before = try memory(pid)
        var alone = [Double]()
        for index in 0..<appends { alone.append(try timedAppend(writer, index)) }

        let started = Date()
        let stalled = try (0..<subscribers).map { _ in try daemon.process.connect() }
        for subscriber in stalled { try subscriber.send("SUBSCRIBE 1") }
        var beside = [Double]()
        var peak = before
        var (connected, dropped) = (false, Double?.none)
        // The subscribers' sockets stay open until the daemon has dropped them (or 120 s have passed).
        try withExtendedLifetime(stalled) {
            while dropped == nil || beside.count < appends, Date().timeIntervalSince(started) < 120 {
                beside.append(try timedAppend(writer, appends + beside.count))
                peak.rss = max(peak.rss, try memory(pid).rss)
                // Once the daemon has taken every subscriber's connection, until it has dropped them all.
                let open = try connections(writer)
                if !connected { connected = open > subscribers }
                if connected, dropped == nil, open == 1 { dropped = Date().timeIntervalSince(started) }
            }
        }
        Thread.sleep(forTimeInterval: 3)
        let after = try memory(pid)

        let mib = { (value: Double) in String(format: "%.1f", value) }
        let ms = { (values: [Double], percentile: Double) in
            String(
                format: "%.2f",
                values.sorted()[min(values.count - 1, Int(Double(values.count) * percentile))] * 1000
            )
        }
        Report.print(
            [
                [
                    "subscribers": "\(subscribers)", "logMB": "\(megabytes)", "rssBeforeMiB": mib(before.rss),
                    "rssPeakMiB": mib(peak.rss),
                    "perSubscriberKiB": mib((peak.rss - before.rss) * 1024 / Double(max(subscribers, 1))),
                    "rssAfterMiB": mib(after.rss), "heapBeforeMiB": mib(before.anonymous),
                    "heapAfterMiB": mib(after.anonymous),
                    "droppedSeconds": dropped.map { String(format: "%.1f", $0) } ?? "-",
                    "aloneP50ms": ms(alone, 0.5), "besideP50ms": ms(beside, 0.5), "aloneP99ms": ms(alone, 0.99),
                    "besideP99ms": ms(beside, 0.99), "aloneMaxms": ms(alone, 1), "besideMaxms": ms(beside, 1),
                ]
            ],
            columns: [
                "subscribers", "logMB", "rssBeforeMiB", "rssPeakMiB", "perSubscriberKiB", "rssAfterMiB",
                "heapBeforeMiB",
                "heapAfterMiB", "droppedSeconds", "aloneP50ms", "besideP50ms", "aloneP99ms", "besideP99ms",
                "aloneMaxms", "besideMaxms",
            ],
            json: options.json
        )
    }

    /// Appends about `megabytes` of 2.9 kB events, 300 to an `APPEND`.
    private func fill(_ client: LineClient) throws {
        let padding = String(repeating: "y", count: 2800)
        let perAppend = 300
        for batch in 0..<(megabytes * 1_000_000 / (perAppend * 2950) + 1) {
            let events = (0..<perAppend).map { index in
                #"{"id":"\#(Self.id(batch * perAppend + index, 0x9b50))","type":"x-t","data":{"p":"\#(padding)"}}"#
            }
            let reply = try client.request("APPEND bulk any [" + events.joined(separator: ",") + "]", timeout: 60)
            guard reply.hasPrefix("OK ") else { throw ValidationError("APPEND answered \(reply.prefix(200))") }
        }
    }

    /// One small append's round trip in seconds.
    private func timedAppend(_ client: LineClient, _ index: Int) throws -> Double {
        let started = Date()
        let reply = try client.request(
            #"APPEND beside any {"id":"\#(Self.id(index, 0x9b51))","type":"x-t","data":{}}"#,
            timeout: 60
        )
        guard reply.hasPrefix("OK ") else { throw ValidationError("APPEND answered \(reply)") }
        return Date().timeIntervalSince(started)
    }

    private func connections(_ client: LineClient) throws -> Int {
        let status = try client.request("STATUS")
        guard let start = status.range(of: #""connections":"#)?.upperBound,
            let count = Int(status[start...].prefix { $0.isNumber })
        else { throw ValidationError("STATUS answered \(status)") }
        return count
    }

    private func memory(_ pid: Int32) throws -> ProcessMemory {
        guard let memory = ProcessMemory(pid: pid) else { throw ValidationError("cannot read /proc/\(pid)/status") }
        return memory
    }

    /// A v7-shaped event id, distinct for each `index` and `group`.
    private static func id(_ index: Int, _ group: Int) -> String {
        "0190f3a0-7c1e-7d2a-\(String(group, radix: 16))-\(String(format: "%012x", index))"
    }
}
