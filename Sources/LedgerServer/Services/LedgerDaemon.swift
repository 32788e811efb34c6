import EventLog
import LedgerProtocol
import Logging
import ReadModels
import ServiceLifecycle

/// The daemon, opened: the event log and the parts around it, wired once here, and the services that run them.
///
/// `services` lists them in start order: the group-commit writer, the projection fold, the checkpoint signer, then
/// the socket server, and on a follower the `ReplicationFollower`. A `ServiceGroup` stops them in reverse on graceful shutdown, each after the one before has
/// finished: the socket server drains its connections, the signer signs the last head, the fold saves its last
/// checkpoint, and the writer commits what they queued and stops. What follows each commit (subscribers woken, the
/// fold and the signer told, metrics counted) is wired in `init`, in one place.
public final class LedgerDaemon: Sendable {
    /// The server's version, reported by `HELLO`, `STATUS` and `ledgerd --version` (`LedgerVersion.current`).
    public static let version = LedgerVersion.current

    /// What the daemon reports about itself: `STATUS`, metrics and health.
    public let report: DaemonReport
    /// The services that run the daemon, in start order (a `ServiceGroup` stops them in reverse). One that fails shuts
    /// the others down gracefully, in order, rather than cancelling them all at once.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]

    /// Opens the data directory, loads the signing key and checks the socket path; nothing runs until `services` do.
    /// - Throws: `StartupError` with a clear message.
    public init(configuration: ServerConfiguration, logger: Logger) throws(StartupError) {
        let log: EventLog
        do {
            log = try EventLog(
                configuration: .init(
                    directory: configuration.dataDirectory,
                    environment: configuration.storage,
                    startNewLedger: configuration.startNewLedger
                )
            )
        } catch .locked {
            throw .dataDirectoryLocked(
                "another ledgerd is using \(configuration.dataDirectory); stop it or choose another --data-dir"
            )
        } catch {
            throw .dataDirectoryUnusable("cannot use data directory \(configuration.dataDirectory): \(error)")
        }
        Self.logIdentity(of: log, logger: logger)
        OwnerOnlyDirectory.enforce(dataDirectory: configuration.dataDirectory, logger: logger)
        OwnerOnlyDirectory.check(backupDirectory: configuration.resolvedBackupDirectory, logger: logger)
        Self.removePartialBackups(configuration: configuration, logger: logger)
        let checkpoints = try CheckpointHost(log: log, settings: configuration.checkpoints, logger: logger)
        try SocketFile.prepare(configuration.socketPath)
        let metrics = LedgerMetrics(
            lastBackupTime: LedgerMetrics.newestBackupTime(in: configuration.resolvedBackupDirectory)
        )
        let notifier = PositionNotifier(log.head.position)
        let projections = ProjectionHost(
            log: log,
            logger: logger,
            readModels: ReadModelStore.open(
                in: configuration.dataDirectory,
                maxConnections: configuration.maxConnections,
                logger: logger
            )
        )
        let writer = GroupCommitWriter(
            log: log,
            maxBatchEvents: configuration.maxBatchEvents,
            onCommit: { metrics.committed($0) },
            onAnswered: { commit in
                notifier.publish(commit.head.position)
                projections.committed(through: commit.head.position)
                checkpoints.headMoved()
            },
            onStart: { WriterNice.apply(configuration.writerNice, logger: logger) }
        )
        let positions: [String: UInt64]
        do {
            positions = try log.consumerPositions()
        } catch {
            throw .dataDirectoryUnusable(
                "cannot read the durable consumers in \(configuration.dataDirectory): \(error)"
            )
        }
        let consumers = ConsumerRegistry(
            positions: positions,
            maxConsumers: configuration.maxConsumers,
            store: { position, name, complete in writer.acknowledge(position, consumer: name, complete: complete) }
        )
        let registry = ConnectionRegistry()
        let serving = ServingFlag()
        let followers = FollowerRegistry(synchronous: configuration.syncReplication.followers)
        let follower = configuration.replicationPrimary.map {
            ReplicationFollower(
                primary: $0,
                tls: configuration.replicationTLS,
                address: configuration.replicationAddress,
                log: log,
                writer: writer,
                logger: logger
            )
        }
        let replication = Replication(
            log: log,
            writer: writer,
            address: configuration.replicationAddress,
            follower: follower,
            followers: followers,
            logger: logger
        )
        report = DaemonReport(
            configuration: configuration,
            log: log,
            writer: writer,
            projections: projections,
            checkpoints: checkpoints,
            registry: registry,
            metrics: metrics,
            serving: serving,
            replication: replication,
            consumers: consumers,
            startedAt: .now
        )
        let ports = RequestPorts(
            configuration: configuration,
            log: log,
            projections: projections,
            checkpoints: checkpoints,
            notifier: notifier,
            consumers: consumers,
            replication: replication,
            backups: BackupQueue(),
            report: report,
            metrics: metrics,
            logger: logger,
            refusals: BurstLog(logger: logger)
        )
        let appender: any Appender =
            configuration.syncReplication.followers > 0
            ? SynchronousAppender(
                writer: writer,
                followers: followers,
                settings: configuration.syncReplication,
                metrics: metrics,
                warnings: BurstLog(logger: logger)
            ) : writer
        let socketServer = SocketServer(
            ports: ports,
            appender: appender,
            registry: registry,
            serving: serving,
            tls: try configuration.tls.map(PreparedTLS.init)
        )
        let inStartOrder: [any Service] =
            [
                WriterService(writer: writer, log: log, logger: logger),
                WriterSideService(part: projections, writer: writer, description: "projection fold"),
                WriterSideService(part: checkpoints, writer: writer, description: "checkpoint signer"),
                socketServer,
            ] + (follower.map { [$0] } ?? [])
        services = inStartOrder.map {
            .init(
                service: $0,
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup
            )
        }
    }

    /// Removes the partial copies that a backup killed part-way left in the backup directory.
    private static func removePartialBackups(configuration: ServerConfiguration, logger: Logger) {
        do {
            let removed = try EventLog.removePartialBackups(in: configuration.resolvedBackupDirectory)
            guard !removed.isEmpty else { return }
            logger.notice(
                "removed partial backups left by a backup that did not finish",
                metadata: ["paths": "\(removed)"]
            )
        } catch {
            logger.warning("cannot remove partial backups", metadata: ["error": "\(error)"])
        }
    }

    /// Logs how the data matched its identity record (a new ledger, an adopted one, or one replaced on purpose).
    private static func logIdentity(of log: EventLog, logger: Logger) {
        let metadata: Logger.Metadata = ["ledger": "\(log.ledgerID)", "head": .stringConvertible(log.head.position)]
        switch log.identityStart {
        case .created:
            logger.notice("new ledger created", metadata: metadata)
        case .confirmed:
            logger.debug("ledger identity confirmed", metadata: metadata)
        case .adopted:
            logger.notice("ledger identity record written for the existing data", metadata: metadata)
        case .replaced(let previous):
            var replaced = metadata
            replaced["previousLedger"] = "\(previous.ledger)"
            replaced["previousPosition"] = .stringConvertible(previous.position)
            logger.warning("--start-new-ledger: the identity record was replaced", metadata: replaced)
        }
        if log.redoneAtOpen > 0 {
            var redone = metadata
            redone["events"] = .stringConvertible(log.redoneAtOpen)
            logger.notice("redid the journal's events acknowledged after the last durable point", metadata: redone)
        }
    }
}
