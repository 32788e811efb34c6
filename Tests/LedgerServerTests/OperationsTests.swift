import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Operations: metrics, systemd notification, operations config keys", .serialized)
struct OperationsTests {
    @Test("METRICS is Prometheus text with appends, batches, latency, errors by code and sampled gauges")
    func metricsContent() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        for index in 1...3 {
            #expect(
                try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{}}"#).hasPrefix("OK ")
            )
        }
        #expect(try client.request("READ").hasPrefix("ERR BAD_REQUEST"))
        let reply = try client.request("METRICS")
        #expect(reply.hasPrefix(#"OK {"contentType":"text/plain; version=0.0.4","text":"#))
        let json = try JSONParser.parse(Array(reply.utf8.dropFirst(3)))
        let lines = Set(try #require(json["text"]?.stringValue).split(separator: "\n").map(String.init))
        // The appends were sent one after another, so each was its own group commit of one event.
        for expected in [
            "ledger_appended_events_total 3", "ledger_append_requests_total 3", "ledger_commits_total 3",
            "ledger_head_position 3.0", #"ledger_errors_total{code="BAD_REQUEST"} 1"#,
            #"ledger_errors_total{code="INTEGRITY"} 0"#, #"ledger_connections{role="ops"} 1.0"#,
            "ledger_subscribers 0.0",
            "# TYPE ledger_commit_duration_seconds histogram", "ledger_commit_batch_events_count 3",
            #"ledger_commit_batch_events_bucket{le="1.0"} 3"#,
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("ledger_map_used_bytes ") })
        #expect(lines.contains { $0.hasPrefix("ledger_commit_duration_seconds_count ") })
        #expect(lines.contains { $0.hasPrefix("ledger_projection_lag_events ") })
        func value(_ name: String) -> Double? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
        }
        #expect(lines.contains("# TYPE process_cpu_seconds_total counter"))
        #expect((value("process_cpu_seconds_total") ?? 0) > 0)
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
    }

    @Test(
        "ledgerd sends READY=1 and STOPPING=1 with STATUS= lines to $NOTIFY_SOCKET (path and abstract)",
        .timeLimit(.minutes(1))
    )
    func systemdNotify() throws {
        for abstract in [false, true] {
            let daemon = try DaemonProcess()
            let name =
                abstract ? "@ledgerd-test-\(UInt64.random(in: 0...UInt64.max))" : daemon.directory.appending("notify")
            let socket = try NotifySocket(name: name)
            daemon.environment["NOTIFY_SOCKET"] = name
            try daemon.start()
            let started = try socket.receive(until: { $0.hasPrefix("READY=1") })
            #expect(started.last == "READY=1\nSTATUS=serving, head 0, projection lag 0 events")
            // Without WATCHDOG_USEC, never WATCHDOG=1.
            #expect(!started.contains { $0.contains("WATCHDOG=1") })
            #expect(daemon.stop() == 0)
            let stopping = try socket.receive(until: { $0.hasPrefix("STOPPING=1") })
            #expect(stopping.last == "STOPPING=1\nSTATUS=stopping, head 0")
            #expect(!stopping.contains { $0.contains("WATCHDOG=1") })
        }
    }

    @Test("bad backup, log, metrics, writer, replication and tls keys stop ledgerd with exit code 2 and name the key")
    func badOperationsConfig() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("bad.json")
        let cases = [
            (#"{"log":{"format":"xml"}}"#, "configuration key log.format: must be text or json"),
            (#"{"backupDirectory":7}"#, "configuration key backupDirectory: must be a non-empty string"),
            (#"{"metrics":{"intervalSeconds":0}}"#, "configuration key metrics.intervalSeconds:"),
            (#"{"metrics":{"fiel":"x.prom"}}"#, "configuration key metrics.fiel: unknown key"),
            (#"{"storage":{"writerNice":-21}}"#, "configuration key storage.writerNice: must be an integer from -20"),
            (#"{"replication":{"onSyncTimeout":"wait"}}"#, "configuration key replication.onSyncTimeout: must be"),
            (#"{"replication":{"syncFollowers":17}}"#, "configuration key replication.syncFollowers: must be"),
            (#"{"replication":{"primay":"p.sock"}}"#, "configuration key replication.primay: unknown key"),
            (#"{"replication":{"primary":"tls://host"}}"#, "configuration key replication.primary: must be a socket"),
            (#"{"replication":{"keyFile":"k.pem"}}"#, "configuration key replication.certificateFile: replication."),
            (#"{"tls":{"listen":"127.0.0.1:7443"}}"#, "configuration key tls.certificateFile: is required"),
            (#"{"tls":{"listen":"host:7443"}}"#, "configuration key tls.listen: must be HOST:PORT"),
            (
                #"{"tls":{"listen":"127.0.0.1:1","certificateFile":"c","keyFile":"k","clientCAFile":"a","roles":{"names":{"x":"boss"}}}}"#,
                "configuration key tls.roles.names.x: must be one of reader, writer, auditor, witness, replica, ops"
            ),
        ]
        for (text, message) in cases {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
            #expect(daemon.log.contains(message), "\(text): \(daemon.log)")
        }
        #expect(try daemon.runExpectingFailure(["--log-format", "xml"]) == 2)
        #expect(daemon.log.contains("--log-format must be text or json"))
    }

    @Test("the daemon's threads carry their names, and the writer thread takes storage.writerNice")
    func threadNamesAndWriterNice() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("nice.json")
        // A nice value above the daemon's own needs no privilege, so this holds for any user.
        try #"{"storage":{"writerNice":7}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        let pid = try #require(daemon.processIdentifier)
        var nice = [String: Int]()
        for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            let name = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)
            // The fields after the parenthesised name: state is field 3, nice field 19.
            let stat = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8)
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            nice[name.trimmingCharacters(in: .newlines)] = fields.count > 16 ? Int(fields[16]) : nil
        }
        #expect(nice["ledger-writer"] == 7, "\(nice)")
        #expect(nice["ledger-fold"] == 0, "\(nice)")
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("writer thread priority set"))
    }

    @Test("--log-format json writes one JSON object per line; --metrics-file is rewritten for node_exporter")
    func jsonLogsAndMetricsFile() throws {
        let daemon = try DaemonProcess()
        let metricsFile = daemon.directory.appending("ledgerd.prom")
        let config = daemon.directory.appending("fast.json")
        try #"{"metrics":{"intervalSeconds":0.2}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config, "--log-format", "json", "--metrics-file", metricsFile])
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: metricsFile), Date() < deadline { usleep(50_000) }
        let text = try String(contentsOfFile: metricsFile, encoding: .utf8)
        #expect(text.contains("ledger_head_position 0.0\n"))
        #expect(daemon.stop() == 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let json = try JSONParser.parse(Array(line.utf8))
            #expect(json["level"]?.stringValue != nil && json["message"]?.stringValue != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""message":"serving""#) })
    }
}

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    private let descriptor: Int32
    private let path: String?

    /// Binds `name`: a path, or an abstract name when it starts with `@`.
    init(name: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        path = bytes.first == UInt8(ascii: "@") ? nil : name
        if path == nil { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(2 + bytes.count + (path == nil ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw LineClient.Failure(description: "cannot bind \(name): errno \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram as text.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw LineClient.Failure(description: "no notification: errno \(errno)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The datagrams received up to and including the first that `last` accepts.
    func receive(until last: (String) -> Bool) throws -> [String] {
        var received = [String]()
        repeat { received.append(try receive()) } while !last(received[received.count - 1])
        return received
    }

    /// Every datagram received within `seconds`.
    func receive(for seconds: Double) -> [String] {
        var received = [String]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while deadline.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(deadline.timeIntervalSinceNow * 1000) + 1) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { received.append(String(decoding: buffer[..<count], as: UTF8.self)) }
        }
        return received
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }
}
