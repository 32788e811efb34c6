import Foundation

/// Redis Streams as a peer: `XADD` with time-ordered ids (`*`) on a server that syncs its append-only file before
/// answering (`appendfsync always`), driven by `redis-benchmark`.
enum RedisPeer {
    struct Tools {
        var server: String
        var benchmark: String
    }

    /// The tools, or why the peer is skipped.
    static func find() -> (tools: Tools?, skipped: String?) {
        guard let server = PeerProcess.find("redis-server"), let benchmark = PeerProcess.find("redis-benchmark") else {
            return (nil, "redis-server or redis-benchmark not found: Redis Streams skipped (apt install redis-server)")
        }
        return (Tools(server: server, benchmark: benchmark), nil)
    }

    /// Appends per second at `load` on a server of its own.
    static func measure(_ tools: Tools, load: PeerLoad, events: Int, payloadBytes: Int) throws -> Double {
        let directory = try PeerProcess.directory("redis")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/redis.sock"
        let server = try PeerProcess.start(
            tools.server,
            [
                "--port", "0", "--unixsocket", socket, "--dir", directory, "--appendonly", "yes", "--appendfsync",
                "always", "--save", "",
            ]
        )
        defer {
            // SIGKILL: the server inherits the bench's blocked SIGTERM, and what it acknowledged is already synced.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try PeerProcess.wait(for: "redis-server") { FileManager.default.fileExists(atPath: socket) }
        let payload = String(repeating: "x", count: payloadBytes)
        let output = try PeerProcess.output(
            tools.benchmark,
            [
                "-s", socket, "-c", "\(load.clients)", "-P", "\(load.inFlight)", "-n", "\(events)", "--csv",
                "XADD", "ledger-bench", "*", "payload", payload,
            ]
        )
        // The CSV's last line is the command's row: its second field is requests per second.
        guard let row = output.split(whereSeparator: \.isNewline).last,
            let rate = row.split(separator: ",").dropFirst().first.flatMap({ Double($0.filter { $0 != "\"" }) })
        else { throw PeerFailure("redis-benchmark printed no rate: \(output.suffix(400))") }
        return rate
    }
}
