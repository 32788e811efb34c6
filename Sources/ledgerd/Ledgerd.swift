import ArgumentParser
import Foundation
import LedgerServer
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// `ledgerd`: the Commissioning Ledger daemon.
@main
struct Ledgerd: AsyncParsableCommand {
    /// Runs Swift concurrency on NIO's event loops, so a connection's tasks and its channel share a thread instead
    /// of handing every request between thread pools.
    static func main() async {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Self.main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "ledgerd",
        abstract: "The Commissioning Ledger daemon: an append-only, tamper-evident event log served on a Unix socket.",
        discussion: """
            Sends READY=1, STOPPING=1 and STATUS= lines to $NOTIFY_SOCKET when set (systemd Type=notify), and \
            WATCHDOG=1 every WATCHDOG_USEC/2 while the writer thread and event loops answer (WatchdogSec=). \
            Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad flags or configuration, \
            3 another ledgerd holds the data directory, 4 the socket path or the metrics address is in use, \
            5 the data directory is unusable \
            or refused (data.mdb truncated, or missing, empty or replaced beside ledger-identity.json; nothing is \
            created), 6 the checkpoint signing key file is unsafe or unusable.
            """,
        version: LedgerDaemon.version,
        subcommands: [KeygenCommand.self]
    )

    @Option(name: .long, help: "The data directory (default ./ledger-data, or the config file's dataDirectory).")
    var dataDir: String?

    @Option(
        name: .long,
        help: "The Unix-domain socket path (default ./ledgerd.sock, or the config file's socket.path)."
    )
    var socket: String?

    @Option(name: .long, help: "A JSON configuration file (see ops/ledgerd.sample.json).")
    var config: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .long, help: "The checkpoint signing key from ledgerd keygen (or the config's checkpoints.keyFile).")
    var signingKey: String?

    @Option(name: .long, help: "Log format: text or json (one JSON object per line).")
    var logFormat: String?

    @Option(name: .long, help: "Where BACKUP writes (default <data-dir>-backups, or the config's backupDirectory).")
    var backupDir: String?

    @Option(name: .long, help: "Rewrite this Prometheus text file every few seconds (node_exporter textfile).")
    var metricsFile: String?

    @Option(
        name: .long,
        help:
            "Serve /metrics and /healthz over HTTP on HOST:PORT, e.g. 127.0.0.1:9464 (or the config's metrics.address)."
    )
    var metricsAddress: String?

    @Option(
        name: .long,
        help: "Follow the primary ledgerd at this socket or tls://HOST:PORT (or replication.primary)."
    )
    var follow: String?

    @Flag(
        name: .long,
        help: """
            Start even though data.mdb does not match ledger-identity.json (missing, empty, replaced or behind it): \
            a missing or empty data.mdb becomes a new, empty ledger. Only on purpose, once; never in a unit file.
            """
    )
    var startNewLedger = false

    func run() async throws {
        // Start-up failures are reported in --log-format, else in the configuration file's log.format, even when
        // another key of the file is what is wrong.
        let failureFormat =
            logFormat.flatMap(LogFormat.init(rawValue:)) ?? config.flatMap(ServerConfiguration.logFormat(inFile:))
            ?? .text
        var settings = ServerConfiguration()
        do {
            if let config { try settings.apply(file: config) }
        } catch {
            fail(error.description, code: 2, format: failureFormat)
        }
        if let dataDir { settings.dataDirectory = dataDir }
        /// A socket path given as `option`, or exit 2.
        func checked(_ path: String, _ option: String) -> String {
            do {
                try ServerConfiguration.checkSocketPath(path, key: option)
            } catch {
                fail(error.description, code: 2, format: failureFormat)
            }
            return path
        }
        if let socket { settings.socketPath = checked(socket, "--socket") }
        if let logLevel { settings.logLevel = logLevel }
        if let signingKey { settings.checkpoints.keyFile = signingKey }
        if let backupDir { settings.backupDirectory = backupDir }
        if let metricsFile { settings.metricsFile = metricsFile }
        if let metricsAddress {
            do {
                settings.metricsAddress = try ListenAddress(metricsAddress, key: "--metrics-address")
            } catch {
                fail(error.description, code: 2, format: failureFormat)
            }
        }
        if let follow {
            do {
                try ServerConfiguration.checkPrimaryAddress(follow, key: "--follow")
            } catch {
                fail(error.description, code: 2, format: failureFormat)
            }
            settings.replicationPrimary = follow
        }
        settings.startNewLedger = startNewLedger
        guard let level = Logger.Level(rawValue: settings.logLevel) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            fail("--log-level must be one of \(levels)", code: 2, format: failureFormat)
        }
        if let logFormat {
            guard let format = LogFormat(rawValue: logFormat) else {
                fail("--log-format must be text or json", code: 2, format: failureFormat)
            }
            settings.logFormat = format
        }
        let format = settings.logFormat
        let journal = JournalStream.isStandardError
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch (format, journal) {
                case (.json, _): JSONLogHandler(label: label, journal: journal)
                case (.text, true): JournalTextLogHandler(label: label)
                case (.text, false): StreamLogHandler.standardError(label: label)
                }
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "ledgerd")
        let daemon: LedgerDaemon
        do {
            daemon = try LedgerDaemon(configuration: settings, logger: logger)
        } catch {
            fail(error.description, code: error.exitCode, format: format)
        }
        let report = daemon.report
        var services = daemon.services
        if let path = settings.metricsFile {
            // node_exporter has process_* families of its own: the file leaves ledgerd's out.
            let writer = MetricsFileWriter(
                path: path,
                interval: .milliseconds(Int(settings.metricsIntervalSeconds * 1000)),
                logger: logger
            ) { await report.metricsExposition(process: false) }
            services.append(.init(service: writer))
        }
        if let address = settings.metricsAddress {
            do {
                services.append(
                    .init(service: try await MetricsHTTPServer.bind(address, report: report, logger: logger))
                )
            } catch {
                fail(error.description, code: error.exitCode, format: format)
            }
        }
        // Last, so it stops first (services stop in reverse order) and no status follows STOPPING=1; without
        // $NOTIFY_SOCKET it has nothing to do and returns at once.
        let watchdog = SystemdWatchdog(report: report, environment: ProcessInfo.processInfo.environment)
        services.append(.init(service: watchdog, successTerminationBehavior: .ignore))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // A backstop: the service itself closes stalled connections after shutdownGraceSeconds.
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(
            Int(settings.shutdownGraceSeconds * 1000) + 5000
        )
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            logger.critical("ledgerd failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }

    /// Reports a start-up failure in the log format (`StartupFailureLog`) and exits with `code`.
    private func fail(_ message: String, code: Int32, format: LogFormat) -> Never {
        StartupFailureLog.write(message, exitCode: code, format: format)
        Glibc.exit(code)
    }
}

/// Writes `print` output to stderr.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        while !bytes.isEmpty {
            let written = Glibc.write(2, bytes, bytes.count)
            guard written > 0 else { return }
            bytes.removeFirst(written)
        }
    }
}
