import Foundation

/// PostgreSQL as a peer: an events table (a position, a time-ordered id, a stream and the payload) on a cluster of its
/// own with `fsync` and synchronous commit, driven by `pgbench` sending INSERTs in pipeline mode, each its own
/// transaction. As root, the cluster runs as the `postgres` user (`initdb` refuses root).
enum PostgresPeer {
    struct Tools {
        var initdb: String
        var pgCtl: String
        var pgbench: String
        var psql: String
        /// The user the server runs as, when the bench runs as root.
        var user: String?
    }

    /// The tools, or why the peer is skipped.
    static func find() -> (tools: Tools?, skipped: String?) {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let extra = versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
        guard let initdb = PeerProcess.find("initdb", extra: extra),
            let pgCtl = PeerProcess.find("pg_ctl", extra: extra),
            let pgbench = PeerProcess.find("pgbench", extra: extra), let psql = PeerProcess.find("psql", extra: extra)
        else {
            return (nil, "initdb, pg_ctl, pgbench or psql not found: PostgreSQL skipped (apt install postgresql)")
        }
        var user: String?
        if geteuid() == 0 {
            guard getpwnam("postgres") != nil else {
                return (nil, "running as root without a postgres user to run the server: PostgreSQL skipped")
            }
            user = "postgres"
        }
        return (Tools(initdb: initdb, pgCtl: pgCtl, pgbench: pgbench, psql: psql, user: user), nil)
    }

    /// Appends per second at `load` on a cluster of its own.
    static func measure(_ tools: Tools, load: PeerLoad, events: Int, payloadBytes: Int) throws -> Double {
        let directory = try PeerProcess.directory("postgres")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if let user = tools.user {
            try PeerProcess.output("/bin/chown", [user, directory])
        }
        let data = directory + "/data"
        try PeerProcess.output(tools.initdb, ["-D", data, "-A", "trust", "-U", "bench", "--no-sync"], as: tools.user)
        let settings =
            "-k \(directory) -c listen_addresses= -c fsync=on -c synchronous_commit=on "
            + "-c max_connections=\(load.clients + 10)"
        // pg_ctl starts the server in the background and waits until it accepts connections (-w).
        try PeerProcess.detaching(
            tools.pgCtl,
            ["-D", data, "-o", settings, "-l", directory + "/server.log", "-w", "start"],
            as: tools.user
        )
        defer {
            try? PeerProcess.detaching(tools.pgCtl, ["-D", data, "-m", "fast", "-w", "stop"], as: tools.user)
        }
        let connection = ["-h", directory, "-U", "bench"]
        try PeerProcess.output(
            tools.psql,
            connection + [
                "-d", "postgres", "-c",
                "CREATE TABLE events (position bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, stream text NOT NULL, "
                    + "data text NOT NULL)",
            ]
        )
        // A UUIDv7-like id: milliseconds since 1970, a version digit, then random digits.
        let insert =
            "INSERT INTO events (id, stream, data) VALUES ((lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)"
            + "::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 19))::uuid, 'bench-' || :client_id, '"
            + String(repeating: "x", count: payloadBytes) + "');"
        let script = directory + "/append.sql"
        let lines = ["\\startpipeline"] + Array(repeating: insert, count: load.inFlight) + ["\\endpipeline"]
        try lines.joined(separator: "\n").write(toFile: script, atomically: true, encoding: .utf8)
        let transactions = max(1, events / (load.clients * load.inFlight))
        let threads = min(load.clients, ProcessInfo.processInfo.activeProcessorCount)
        let output = try PeerProcess.output(
            tools.pgbench,
            connection + [
                "-n", "-M", "prepared", "-f", script, "-c", "\(load.clients)", "-j", "\(threads)", "-t",
                "\(transactions)", "postgres",
            ]
        )
        // "tps = 123.4 (without initial connection time)": scripts per second, each `inFlight` events.
        guard let line = output.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("tps = ") }),
            let tps = line.dropFirst(6).split(separator: " ").first.flatMap({ Double($0) })
        else { throw PeerFailure("pgbench printed no rate: \(output.suffix(400))") }
        return tps * Double(load.inFlight)
    }
}
