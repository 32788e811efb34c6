import ArgumentParser
import Foundation

/// `ledger-bench peers`: single-event durable appends on ledgerd, Redis Streams and PostgreSQL, on the same disk, each
/// driven by its own native client, at the same loads (issue 38's table).
struct PeersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: """
            Durable single-event appends of about --size bytes: ledgerd over its socket, Redis Streams (XADD with \
            appendfsync always, by redis-benchmark) and PostgreSQL (pipelined INSERTs with synchronous commit, by \
            pgbench), each at every load; a peer not installed is skipped with a message.
            """
    )

    @Option(help: "Loads, as clients x requests each keeps in flight (comma-separated).")
    var loads: CommaSeparated<PeerLoad> = [
        PeerLoad(clients: 1, inFlight: 1), PeerLoad(clients: 8, inFlight: 1), PeerLoad(clients: 8, inFlight: 64),
        PeerLoad(clients: 64, inFlight: 16),
    ]

    @Option(
        help: """
            Streams each ledgerd client spreads its appends over, in turn (comma-separated to run each load with \
            each): 50 as in issue 38's table; 1,50 at 64 clients compares 64 streams with 3,200.
            """
    )
    var streamsPerClient: CommaSeparated<Int> = [50]

    @Option(help: "Events per load and system.")
    var events = 20_000

    @Option(help: "Approximate payload bytes per event.")
    var size = 300

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard events >= 1, size >= 1 else { throw ValidationError("--events and --size take numbers of 1 or more") }
        try streamsPerClient.validatePositive("streams-per-client")
    }

    func run() async throws {
        let redis = RedisPeer.find()
        let postgres = PostgresPeer.find()
        for skipped in [redis.skipped, postgres.skipped].compactMap(\.self) {
            FileHandle.standardError.write(Data("ledger-bench peers: \(skipped)\n".utf8))
        }
        var rows = [[String: String]]()
        for load in loads.values {
            var row = ["load": load.description]
            for streams in streamsPerClient.values.dropLast() {
                let rate = try ledgerdRate(load, streamsPerClient: streams)
                row["ledgerd \(load.clients * streams) streams"] = String(format: "%.0f", rate)
            }
            let streams = streamsPerClient.values.last ?? 1
            row["streams"] = String(load.clients * streams)
            let ledgerd = try ledgerdRate(load, streamsPerClient: streams)
            row["ledgerd"] = String(format: "%.0f", ledgerd)
            if let tools = redis.tools {
                let rate = try RedisPeer.measure(tools, load: load, events: events, payloadBytes: size)
                row["redis"] = String(format: "%.0f", rate)
                row["vsRedis"] = String(format: "%.2f", ledgerd / rate)
            }
            if let tools = postgres.tools {
                let rate = try PostgresPeer.measure(tools, load: load, events: events, payloadBytes: size)
                row["postgres"] = String(format: "%.0f", rate)
                row["vsPostgres"] = String(format: "%.2f", ledgerd / rate)
            }
            rows.append(row)
        }
        Report.print(
            rows,
            columns: ["load"] + Set(rows.flatMap(\.keys)).filter { $0.hasSuffix(" streams") }.sorted()
                + ["streams", "ledgerd", "redis", "postgres", "vsRedis", "vsPostgres"],
            json: options.json
        )
    }

    /// ledgerd's appends per second at `load`, on a daemon of its own.
    private func ledgerdRate(_ load: PeerLoad, streamsPerClient: Int) throws -> Double {
        let daemon = try SpawnedDaemon()
        defer { daemon.stop() }
        let result = try SocketLoad.run(
            socket: daemon.socketPath,
            clients: load.clients,
            requestsPerClient: max(1, events / load.clients),
            pace: .pipeline(load.inFlight),
            batch: 1,
            payloadBytes: size,
            seed: options.seed,
            ids: .v7,
            streamsPerClient: streamsPerClient
        )
        return result.eventsPerSecond
    }
}

/// A load: so many clients, each keeping so many requests in flight (`8x64`).
struct PeerLoad: ExpressibleByArgument, CustomStringConvertible, Equatable {
    var clients: Int
    var inFlight: Int

    init(clients: Int, inFlight: Int) {
        self.clients = clients
        self.inFlight = inFlight
    }

    init?(argument: String) {
        let parts = argument.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let clients = Int(parts[0]), let inFlight = Int(parts[1]), clients >= 1, inFlight >= 1
        else { return nil }
        self.init(clients: clients, inFlight: inFlight)
    }

    var description: String { "\(clients)x\(inFlight)" }
    var defaultValueDescription: String { description }
}
