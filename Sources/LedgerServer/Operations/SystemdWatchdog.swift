import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Keeps systemd informed while ledgerd runs under it (`$NOTIFY_SOCKET` set): every `interval` a health check, then
/// one datagram with `STATUS=serving, head N, projection lag M events` and, when systemd asked for a watchdog
/// (`WatchdogSec=`), `WATCHDOG=1`, but only if the writer thread and every event loop answered: a daemon whose writer
/// is stuck stops sending it, and systemd restarts it once `WatchdogSec` has passed.
public struct SystemdWatchdog: Service, CustomStringConvertible {
    /// How often the status is sent when systemd asked for no watchdog.
    static let statusInterval = Duration.seconds(10)

    let report: DaemonReport
    /// Half of `$WATCHDOG_USEC` (as `sd_watchdog_enabled` advises), or nil when no watchdog is asked of this process.
    let watchdogInterval: Duration?
    public let description = "systemd watchdog"

    /// - Parameter environment: the process environment (`WATCHDOG_USEC`, `WATCHDOG_PID`).
    public init(report: DaemonReport, environment: [String: String]) {
        self.report = report
        watchdogInterval = Self.watchdogInterval(environment, pid: getpid())
    }

    /// Half of `WATCHDOG_USEC` when it is a positive number of microseconds and `WATCHDOG_PID`, if set, is `pid`.
    static func watchdogInterval(_ environment: [String: String], pid: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], owner != String(pid) { return nil }
        return .microseconds(microseconds / 2)
    }

    public func run() async {
        guard SystemdNotifier.environmentSocket != nil else { return }
        let interval = watchdogInterval ?? Self.statusInterval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let health = await report.health()
            var state = "STATUS=\(health.status(head: report.head))"
            if watchdogInterval != nil, health.alive { state = "WATCHDOG=1\n" + state }
            SystemdNotifier.notify(state)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
