import Foundation
import LedgerJSON
import LedgerServer
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "Prometheus: promtool-clean metrics, the HTTP endpoint and its limits, the textfile, the alert rules",
    .serialized
)
struct PrometheusTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts a daemon with the HTTP endpoint on a free port; returns it and the port its log names.
    static func daemonWithHTTP(_ arguments: [String] = []) throws -> (DaemonProcess, Int) {
        let daemon = try DaemonProcess()
        try daemon.start(["--metrics-address", "127.0.0.1:0"] + arguments)
        return (daemon, try port(in: daemon.log))
    }

    /// The port of the `metrics served over HTTP` log line.
    static func port(in log: String) throws -> Int {
        let line = try #require(log.split(separator: "\n").first { $0.contains("metrics served over HTTP") })
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("address=127.0.0.1:") })
        return try #require(Int(address.dropFirst("address=127.0.0.1:".count)))
    }

    /// The `METRICS` text over the socket.
    static func metricsText(_ client: LineClient) throws -> String {
        let reply = try client.request("METRICS")
        let json = try JSONParser.parse(Array(reply.utf8.dropFirst(3)))
        return try #require(json["text"]?.stringValue)
    }

    /// The family names of `# TYPE` lines, each of which must follow a `# HELP` line for the same family.
    static func families(_ text: String) -> (typed: Set<String>, helped: Set<String>) {
        var typed = Set<String>()
        var helped = Set<String>()
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "#" else { continue }
            if words[1] == "TYPE" { typed.insert(String(words[2])) }
            if words[1] == "HELP" { helped.insert(String(words[2])) }
        }
        return (typed, helped)
    }

    @Test(
        "promtool check metrics passes on METRICS, HTTP /metrics and the textfile; every family has HELP and TYPE",
        .timeLimit(.minutes(1))
    )
    func promtoolClean() throws {
        let (daemon, port) = try Self.daemonWithHTTP()
        defer { daemon.stop() }
        let client = try daemon.connect()
        for index in 1...3 {
            #expect(
                try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{}}"#).hasPrefix("OK ")
            )
        }
        #expect(try client.request("FROB").hasPrefix("ERR UNKNOWN_COMMAND"))
        // The projections fold on their own thread: the lag below is 0 once they have caught up.
        while try !client.request("STATUS").contains(#""lag":0,"#) { usleep(10_000) }
        let socketText = try Self.metricsText(client)
        let http = try TCPClient.request("GET", "/metrics", port: port)
        #expect(http.status == 200)
        #expect(http.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        for (source, text) in [("METRICS", socketText), ("HTTP /metrics", http.body)] {
            let (status, output) = try Promtool.checkMetrics(text, in: daemon.directory)
            #expect(status == 0 && output.isEmpty, "\(source): promtool exited \(status): \(output)")
            let (typed, helped) = Self.families(text)
            #expect(typed.count >= 30, "\(source): \(typed.sorted())")
            #expect(typed == helped, "\(source): TYPE without HELP: \(typed.subtracting(helped).sorted())")
            #expect(typed.contains("process_cpu_seconds_total") && typed.contains("process_start_time_seconds"))
        }
        let lines = Set(socketText.split(separator: "\n").map(String.init))
        for expected in [
            #"ledger_request_duration_seconds_count{verb="APPEND"} 3"#,
            #"ledger_request_duration_seconds_count{verb="other"} 1"#,
            "ledger_append_duration_seconds_count 3", #"ledger_connections{role="ops"} 1.0"#,
            #"ledger_connections{role="none"} 0.0"#, #"ledger_build_info{version="\#(LedgerDaemon.version)"} 1.0"#,
            "ledger_writer_queue_requests 0.0", "ledger_projection_lag_seconds 0.0", "ledger_healthy 1.0",
            "ledger_backup_failures_total 0", "ledger_backup_last_success_timestamp_seconds 0.0",
            "ledger_map_growths_total 0", "ledger_checkpoint_signed_timestamp_seconds 0.0",
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        let started = try #require(
            lines.first { $0.hasPrefix("process_start_time_seconds ") }.flatMap { Double($0.split(separator: " ")[1]) }
        )
        #expect(abs(started - Date().timeIntervalSince1970) < 120)
    }

    @Test(
        "the textfile is 0644 under umask 077, has no process_* family and passes promtool check metrics",
        .timeLimit(.minutes(1))
    )
    func textfile() throws {
        // A wrapper runs ledgerd under umask 077 (the umask of the test process itself is left alone).
        let directory = try TemporaryDirectory(prefix: "ledgerd-umask")
        let wrapper = directory.appending("ledgerd-umask077")
        try "#!/bin/sh\numask 077\nexec '\(DaemonProcess.binary)' \"$@\"\n"
            .write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let daemon = try DaemonProcess(executable: wrapper)
        let file = daemon.directory.appending("ledgerd.prom")
        let config = daemon.directory.appending("fast.json")
        try #"{"metrics":{"intervalSeconds":0.2}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config, "--metrics-file", file])
        defer { daemon.stop() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: file), Date() < deadline { usleep(50_000) }
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("ledger_head_position 0.0\n"))
        #expect(!text.contains("process_"), "\(text)")
        let (status, output) = try Promtool.checkMetrics(text, in: daemon.directory)
        #expect(status == 0 && output.isEmpty, "promtool exited \(status): \(output)")
        #expect(Self.families(text).typed == Self.families(text).helped)
    }

    @Test("Protocols/line-protocol.md's METRICS table lists exactly the families the daemon emits")
    func specListsEveryFamily() throws {
        let spec = try String(
            contentsOf: Self.repository.appendingPathComponent("Protocols/line-protocol.md"),
            encoding: .utf8
        )
        let section = try #require(spec.components(separatedBy: "### METRICS").dropFirst().first)
        let table = section.components(separatedBy: "```transcript").first ?? ""
        var listed = Set<String>()
        for row in table.split(separator: "\n") where row.hasPrefix("| `") {
            let cell = row.split(separator: "|").first ?? ""
            for name in cell.split(separator: "`").enumerated() where name.offset % 2 == 1 {
                listed.insert(String(name.element.prefix { $0 != "{" }))
            }
        }
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        // The per-consumer families have a series once a consumer exists.
        let consumer = try daemon.connect()
        try consumer.send("CONSUME metrics-check")
        #expect(try consumer.readLine() == "LIVE {\"position\":0}")
        let emitted = Self.families(try Self.metricsText(try daemon.connect())).typed
        #expect(
            listed == emitted,
            "only listed: \(listed.subtracting(emitted)); only emitted: \(emitted.subtracting(listed))"
        )
    }

    @Test(
        "/healthz answers JSON 200; unknown paths 404, other methods 405, HEAD has headers only",
        .timeLimit(.minutes(1))
    )
    func httpRoutes() throws {
        let (daemon, port) = try Self.daemonWithHTTP()
        defer { daemon.stop() }
        let health = try TCPClient.request("GET", "/healthz", port: port)
        #expect(health.status == 200)
        #expect(health.headers["content-type"] == "application/json")
        let json = try JSONParser.parse(Array(health.body.utf8))
        #expect(json["serving"] == .bool(true) && json["writerAlive"] == .bool(true))
        #expect(json["eventLoopsAlive"] == .bool(true) && json["healthy"] == .bool(true))
        #expect(json["projectionLagEvents"]?.int64Value == 0)
        #expect(json["projectionLagSeconds"] != nil)
        let missing = try TCPClient.request("GET", "/", port: port)
        #expect(missing.status == 404 && missing.body.contains("/metrics and /healthz"))
        let post = try TCPClient.request("POST", "/metrics", port: port)
        #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
        let head = try TCPClient.request("HEAD", "/metrics", port: port)
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(Int(head.headers["content-length"] ?? "") ?? 0 > 1000)
        #expect(try TCPClient.request("GET", "/metrics?x=1", port: port).status == 200)
    }

    @Test(
        "HTTP limits: 16 connections at once, a stalled client closed after 5 s, a request over 8 KiB answered 431",
        .timeLimit(.minutes(1))
    )
    func httpLimits() throws {
        let (daemon, port) = try Self.daemonWithHTTP()
        defer { daemon.stop() }
        // Of 17 connections, one is closed at once without an answer (which one depends on the order in which the
        // event loops hand them over); the other 16 are served.
        let clients = try (0..<17).map { _ in try TCPClient(port: port) }
        usleep(2_000_000)
        let closed = clients.map { $0.wasClosed(within: 0) }
        #expect(closed.filter { $0 }.count == 1)
        let held = zip(clients, closed).filter { !$0.1 }.map(\.0)
        try held[0].send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try HTTPResponse(try held[0].readToEnd()).status == 200)
        // A client that sends half a request and stalls is closed after the idle timeout (5 s).
        let started = Date()
        try held[1].send("GET /metrics HTTP/1.1\r\n")
        #expect(try held[1].readToEnd(timeout: 10).isEmpty)
        let idled = Date().timeIntervalSince(started)
        #expect(idled > 4 && idled < 9, "closed after \(idled) s")
        // With the others gone, a new connection is served again.
        for client in held.dropFirst(2) { #expect(try client.readToEnd(timeout: 10).isEmpty) }
        let oversized = try TCPClient(port: port)
        try oversized.send(
            "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 9000))\r\n\r\n"
        )
        let refused = try HTTPResponse(try oversized.readToEnd())
        #expect(refused.status == 431 && refused.body == "the request exceeds 8192 bytes\n")
        #expect(try TCPClient.request("GET", "/healthz", port: port).status == 200)
        #expect(daemon.log.contains("metrics HTTP connection refused: 16 already open"))
    }

    @Test(
        "metrics.address: no listener by default, bad addresses exit 2, an address in use exits 4",
        .timeLimit(.minutes(1))
    )
    func addressConfiguration() throws {
        let plain = try DaemonProcess()
        try plain.start()
        #expect(!plain.log.contains("metrics served over HTTP"))
        #expect(plain.stop() == 0)

        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("bad.json")
        for (text, message) in [
            (#"{"metrics":{"address":"localhost:9464"}}"#, "configuration key metrics.address: must be HOST:PORT"),
            (#"{"metrics":{"address":"127.0.0.1:65536"}}"#, "configuration key metrics.address: must be HOST:PORT"),
            (#"{"metrics":{"address":"127.0.0.1"}}"#, "configuration key metrics.address: must be HOST:PORT"),
            (#"{"metrics":{"healthMaxProjectionLagSeconds":0}}"#, "metrics.healthMaxProjectionLagSeconds: must be"),
        ] {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
            #expect(daemon.log.contains(message), "\(text): \(daemon.log)")
        }
        #expect(try daemon.runExpectingFailure(["--metrics-address", "127.0.0.1:-1"]) == 2)
        #expect(daemon.log.contains("--metrics-address: must be HOST:PORT"), "\(daemon.log)")

        let (first, port) = try Self.daemonWithHTTP()
        defer { first.stop() }
        let second = try DaemonProcess()
        #expect(try second.runExpectingFailure(["--metrics-address", "127.0.0.1:\(port)"]) == 4)
        #expect(
            second.log.contains("cannot listen on 127.0.0.1:\(port) (metrics.address or --metrics-address): "),
            "\(second.log)"
        )
        #expect(second.log.contains("Address already in use"), "\(second.log)")
    }

    @Test(
        "BACKUP sets the last-success time; one already in the backup directory sets it at start",
        .timeLimit(.minutes(1))
    )
    func backupTime() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        let before = Date().timeIntervalSince1970
        #expect(try client.request("BACKUP first").hasPrefix("OK "))
        #expect(try client.request("BACKUP first").hasPrefix("ERR BAD_REQUEST"))
        func lastSuccess(_ text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix("ledger_backup_last_success_timestamp_seconds ") }
                .flatMap { Double($0.split(separator: " ")[1]) }
        }
        let text = try Self.metricsText(client)
        #expect((lastSuccess(text) ?? 0) >= before.rounded(.down))
        // A taken name is the client's mistake, not a failed backup.
        #expect(text.contains("\nledger_backup_failures_total 0\n"))
        #expect(daemon.stop() == 0)
        try daemon.start()
        let restarted = try #require(lastSuccess(try Self.metricsText(try daemon.connect())))
        #expect(restarted >= before.rounded(.down) && restarted <= Date().timeIntervalSince1970)
        #expect(daemon.stop() == 0)
    }

    @Test(
        "with a signing key: the last signed checkpoint's size and time; before, the start time",
        .timeLimit(.minutes(1))
    )
    func signedCheckpoint() throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/metrics", everyEvents: 2)
        let before = Date().timeIntervalSince1970.rounded(.down)
        try daemon.start(["--config", signing.config])
        defer { daemon.stop() }
        let client = try daemon.connect()
        func value(_ name: String) throws -> Double? {
            try Self.metricsText(client).split(separator: "\n").first { $0.hasPrefix(name + " ") }
                .flatMap { Double($0.split(separator: " ")[1]) }
        }
        let started = try #require(try value("ledger_checkpoint_signed_timestamp_seconds"))
        #expect(started >= before && started <= Date().timeIntervalSince1970)
        #expect(try value("ledger_checkpoint_signed_size") == 0)
        for index in 1...2 {
            #expect(
                try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{}}"#).hasPrefix("OK ")
            )
        }
        // Signed on demand (and stored), as an auditor's CHECKPOINT does.
        #expect(try client.request("CHECKPOINT").hasPrefix("OK "))
        #expect(try value("ledger_checkpoint_signed_size") == 2)
        #expect(try #require(try value("ledger_checkpoint_signed_timestamp_seconds")) >= started)
    }

    @Test("a map grown from 1 MiB is counted in ledger_map_growths_total", .timeLimit(.minutes(1)))
    func mapGrowths() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("small.json")
        try #"{"storage":{"mapSizeMiB":1}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let client = try daemon.connect()
        let padding = String(repeating: "x", count: 400)
        for batch in 0..<4 {
            let events = (0..<1000).map { index in
                #"{"id":"\#(uuid(batch * 1000 + index, prefix: "0190f3a0-7c1e-7d2a-9b3d"))","type":"x-t","data":{"p":"\#(padding)"}}"#
            }
            #expect(try client.request("APPEND s any [\(events.joined(separator: ","))]").hasPrefix("OK "))
        }
        let text = try Self.metricsText(client)
        let growths = text.split(separator: "\n").first { $0.hasPrefix("ledger_map_growths_total ") }
        #expect((growths.flatMap { Int($0.split(separator: " ")[1]) } ?? 0) >= 1, "\(String(describing: growths))")
    }

    @Test("promtool check rules passes on ops/prometheus/ledgerd-alerts.yml and promtool test rules on its unit tests")
    func alertRules() throws {
        let rules = Self.repository.appendingPathComponent("ops/prometheus/ledgerd-alerts.yml").path
        let check = try Promtool.run(["check", "rules", rules])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS"), "\(check.output)")
        let tests = Self.repository.appendingPathComponent("ops/prometheus/ledgerd-alerts.test.yml").path
        let test = try Promtool.run(["test", "rules", tests])
        #expect(test.status == 0, "\(test.output)")
        // Every alert the runbook names is in the rules file.
        let runbook = try String(contentsOf: Self.repository.appendingPathComponent("ops/RUNBOOK.md"), encoding: .utf8)
        let yaml = try String(contentsOfFile: rules, encoding: .utf8)
        let named = runbook.split(separator: "`").filter { $0.hasPrefix("Ledgerd") && !$0.contains(" ") }
        #expect(named.count >= 9)
        for alert in Set(named) { #expect(yaml.contains("alert: \(alert)\n"), "\(alert) is not in the rules") }
    }
}
