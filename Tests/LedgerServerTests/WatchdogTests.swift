import Foundation
import LMDB
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("systemd watchdog: WATCHDOG=1 only while the writer thread and event loops answer", .serialized)
struct WatchdogTests {
    /// A daemon told by "systemd" to send watchdog pings every 0.5 s (WATCHDOG_USEC=1000000), with the HTTP endpoint.
    static func watchedDaemon(pid: String? = nil) throws -> (DaemonProcess, NotifySocket, port: Int) {
        let daemon = try DaemonProcess()
        let name = daemon.directory.appending("notify")
        let socket = try NotifySocket(name: name)
        daemon.environment["NOTIFY_SOCKET"] = name
        daemon.environment["WATCHDOG_USEC"] = "1000000"
        if let pid { daemon.environment["WATCHDOG_PID"] = pid }
        try daemon.start(["--metrics-address", "127.0.0.1:0"])
        return (daemon, socket, try PrometheusTests.port(in: daemon.log))
    }

    @Test("WATCHDOG_USEC set: WATCHDOG=1 with the status every WATCHDOG_USEC/2", .timeLimit(.minutes(1)))
    func pings() throws {
        let (daemon, socket, _) = try Self.watchedDaemon()
        defer { daemon.stop() }
        // Every 0.5 s: about 6 in 3.2 s, fewer when the machine is busy with other tests.
        let datagrams = socket.receive(for: 3.2)
        let pings = datagrams.filter { $0 == "WATCHDOG=1\nSTATUS=serving, head 0, projection lag 0 events" }
        #expect(pings.count >= 3 && pings.count <= 8, "\(datagrams)")
    }

    @Test("WATCHDOG_PID naming another process: status lines only, no WATCHDOG=1", .timeLimit(.minutes(1)))
    func otherProcess() throws {
        let (daemon, socket, _) = try Self.watchedDaemon(pid: "1")
        defer { daemon.stop() }
        let datagrams = socket.receive(for: 1.5)
        #expect(datagrams.contains { $0.hasPrefix("STATUS=") || $0.hasPrefix("READY=1") }, "\(datagrams)")
        #expect(!datagrams.contains { $0.contains("WATCHDOG=1") }, "\(datagrams)")
    }

    @Test(
        "a writer stuck behind another process's LMDB write lock: no WATCHDOG=1, STATUS says so, /healthz 503; then back",
        .timeLimit(.minutes(1))
    )
    func stuckWriter() throws {
        let (daemon, socket, port) = try Self.watchedDaemon()
        defer { daemon.stop() }
        #expect(socket.receive(for: 1.2).contains { $0.hasPrefix("WATCHDOG=1\n") })
        // This test process opens the daemon's environment, as any LMDB tool may, and holds a write transaction.
        let environment = try Environment(path: daemon.dataDirectory)
        let taken = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread {
            _ = try? environment.write { _ in
                taken.signal()
                release.wait()
            }
        }.start()
        taken.wait()
        let client = try daemon.connect()
        try client.send(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#)
        // Once the writer has taken the append into a transaction, which waits for the lock, /healthz says so.
        var health = try TCPClient.request("GET", "/healthz", port: port)
        let deadline = Date().addingTimeInterval(20)
        while health.status == 200, Date() < deadline { health = try TCPClient.request("GET", "/healthz", port: port) }
        #expect(health.status == 503, "\(health.body)")
        #expect(health.body.contains(#""writerAlive":false"#) && health.body.contains(#""serving":true"#))
        // A second append waits for the writer: the metrics show it queued, and the daemon unhealthy.
        try client.send(#"APPEND s any {"id":"\#(uuid(2))","type":"x-t","data":{}}"#)
        usleep(200_000)
        let metrics = try TCPClient.request("GET", "/metrics", port: port)
        #expect(metrics.body.contains("\nledger_healthy 0.0\n"))
        #expect(metrics.body.contains("\nledger_writer_queue_requests 1.0\n"))
        // What a check begun before the writer got stuck sent is let through first.
        _ = socket.receive(for: 2.5)
        let stuck = socket.receive(for: 3)
        #expect(!stuck.contains { $0.contains("WATCHDOG=1") }, "\(stuck)")
        #expect(stuck.contains { $0.hasSuffix("; the writer thread is not answering") }, "\(stuck)")
        release.signal()
        #expect(try client.readLine()?.hasPrefix("OK ") == true)
        #expect(try client.readLine()?.hasPrefix("OK ") == true)
        let back = socket.receive(for: 5)
        #expect(back.contains("WATCHDOG=1\nSTATUS=serving, head 2, projection lag 0 events"), "\(back)")
        #expect(try TCPClient.request("GET", "/healthz", port: port).status == 200)
    }
}
