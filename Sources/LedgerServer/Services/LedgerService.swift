import EventLog
import LedgerProtocol
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon as one `Service`: it opens the log, serves protocol v1 on the Unix-domain socket, and on graceful
/// shutdown stops accepting, lets connections finish what is in flight, closes stragglers after the grace period,
/// stops the writer and removes the socket file.
public final class LedgerService: Service, Sendable {
    /// The server's version, reported by `HELLO`, `STATUS` and `ledgerd --version` (`LedgerVersion.current`).
    public static let version = LedgerVersion.current

    let configuration: ServerConfiguration
    let logger: Logger
    let log: EventLog
    let writer: GroupCommitWriter
    let notifier: PositionNotifier
    let projections: ProjectionHost
    let checkpoints: CheckpointHost
    let registry = ConnectionRegistry()
    /// Who may connect: `limits.*` connection limits, with the total lowered to what the descriptor limit allows.
    let connectionLimits: ConnectionLimits
    /// Refused connections, failed accepts and dropped subscribers, logged once per burst.
    let refusals: BurstLog
    /// Gives back the heap that closed connections (dropped subscribers above all) freed.
    let closedConnectionsTrim = ClosedConnectionsTrim()
    /// Set while the listening socket's reserve descriptor is let go (the daemon is out of descriptors).
    let descriptorReserve = DescriptorReserve.State()
    let mailboxes = AnswerMailboxes()
    let backups = BackupQueue()
    let metrics: LedgerMetrics
    let startedAt = ContinuousClock.now
    let daemonUID = getuid()
    /// The peers' groups for their roles, cached per uid for `PeerGroups.defaultLifetime`.
    let peerGroups = PeerGroups()
    /// Set once the socket is bound, cleared when shutdown begins.
    private let serving = Atomic(false)

    /// Opens the data directory and checks the socket path; nothing is served until `run()`.
    /// - Throws: `StartupError` with a clear message.
    public init(configuration: ServerConfiguration, logger: Logger) throws(StartupError) {
        self.configuration = configuration
        self.logger = logger
        refusals = BurstLog(logger: logger)
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
        let checkpoints = try CheckpointHost(log: log, settings: configuration.checkpoints, logger: logger)
        self.checkpoints = checkpoints
        try SocketFile.prepare(configuration.socketPath)
        let metrics = LedgerMetrics(
            lastBackupTime: LedgerMetrics.newestBackupTime(in: configuration.resolvedBackupDirectory)
        )
        self.metrics = metrics
        let notifier = PositionNotifier(log.head.position)
        self.notifier = notifier
        let projections = ProjectionHost(log: log, logger: logger)
        self.projections = projections
        writer = GroupCommitWriter(
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
        projections.start(saving: writer)
        checkpoints.start(saving: writer)
        connectionLimits = ConnectionLimits(
            configuration,
            descriptorCapacity: DescriptorLimit.capacity(for: configuration.maxConnections)
        )
    }

    public func run() async throws {
        removePartialBackups()
        let server = try await bind()
        SocketFile.setMode(configuration.socketPath, configuration.socketMode)
        grantRolesTheSocket()
        logger.info(
            "serving",
            metadata: [
                "socket": "\(configuration.socketPath)", "dataDirectory": "\(configuration.dataDirectory)",
                "head": .stringConvertible(log.head.position), "version": "\(Self.version)",
                "staleReadersCleared": .stringConvertible(log.environment.staleReadersClearedAtOpen),
            ]
        )
        if connectionLimits.total < configuration.maxConnections {
            logger.warning(
                "the file-descriptor limit allows fewer connections than limits.maxConnections; raise LimitNOFILE",
                metadata: [
                    "connections": .stringConvertible(connectionLimits.total),
                    "maxConnections": .stringConvertible(configuration.maxConnections),
                ]
            )
        }
        serving.store(true, ordering: .relaxed)
        let health = await Health.check(self)
        SystemdNotifier.notify("READY=1\nSTATUS=\(health.status(head: log.head.position))")
        await withTaskCancellationOrGracefulShutdownHandler {
            do {
                try await server.closeFuture.get()
            } catch {
                logger.error("the listening socket failed", metadata: ["error": "\(error)"])
            }
        } onCancelOrGracefulShutdown: {
            server.close(promise: nil)
        }
        logger.info("shutting down", metadata: ["connections": .stringConvertible(registry.count)])
        serving.store(false, ordering: .relaxed)
        SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping, head \(log.head.position)")
        notifier.finish()
        registry.beginShutdown()
        await registry.drain(within: configuration.shutdownGraceSeconds)
        await projections.stop()
        await checkpoints.stop()
        await writer.shutdown()
        do {
            try log.recordIdentity()
        } catch {
            logger.error("cannot update the ledger identity record", metadata: ["error": "\(error)"])
        }
        SocketFile.remove(configuration.socketPath)
        logger.info("stopped", metadata: ["head": .stringConvertible(log.head.position)])
    }

    /// Gives the users and groups of `roles` read and write on the socket (`SocketAccessList`). Where the file system
    /// keeps no access lists, they reach it only through the socket's group, which is logged.
    private func grantRolesTheSocket() {
        let path = configuration.socketPath
        guard let list = SocketAccessList(mode: configuration.socketMode, roles: configuration.roles, owner: daemonUID)
        else { return }
        if let error = list.apply(to: path) {
            logger.warning(
                "cannot give the users and groups of roles access to the socket: they reach it only through its group",
                metadata: ["socket": "\(path)", "error": "\(String(cString: strerror(error)))"]
            )
        } else {
            logger.debug(
                "the users and groups of roles reach the socket",
                metadata: ["users": "\(list.users)", "groups": "\(list.groups)"]
            )
        }
    }

    /// Removes the partial copies that a backup killed part-way left in the backup directory.
    private func removePartialBackups() {
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
    }

    /// How long the daemon waits before accepting again after `accept` failed (out of file descriptors): the pending
    /// connection stays in the listen backlog, and accepting at once would fail again at once, spinning a core.
    static let acceptBackoff = TimeAmount.milliseconds(250)

    /// Whether the daemon serves: its socket is bound and shutdown has not begun.
    var isServing: Bool { serving.load(ordering: .relaxed) }

    /// The Prometheus text of every metric, with the gauges sampled now and the health checked (for `METRICS`,
    /// HTTP `/metrics` and the metrics file).
    /// - Parameter process: whether to include the `process_*` families (the metrics file leaves them out, since
    ///   node_exporter has its own).
    public func metricsExposition(process: Bool) async -> String {
        let health = await Health.check(self)
        let signed = checkpoints.lastSigned
        return metrics.exposition(
            LedgerMetrics.Sample(
                head: log.head.position,
                projected: projections.position,
                projectionLagSeconds: health.projectionLagSeconds,
                connections: registry.countsByRole,
                writerQueue: writer.queuedRequests,
                map: log.environment.info(),
                maxMapSize: configuration.storage.maxMapSize,
                mapGrowths: log.environment.mapGrowthCount,
                signedCheckpointSize: signed.size,
                signedCheckpointTime: signed.time,
                healthy: health.healthy,
                process: .now()
            ),
            process: process
        )
    }

    /// Checks the daemon's health now (for `/healthz` and the systemd watchdog).
    func health() async -> Health {
        await Health.check(self)
    }

    /// Listens on the socket; each accepted connection is admitted under `connectionLimits` (or answered
    /// `ERR OVERLOADED` and closed) and gets a line decoder and a `ConnectionHandler`. A connection without a role is
    /// closed after `unmappedIdleSeconds` without a request. When `accept` fails for want of descriptors, the
    /// connection that the reserve descriptor lets in is refused and accepting resumes after `acceptBackoff`.
    private func bind() async throws -> any Channel {
        let maxLine = configuration.maxLineBytes
        let queued = configuration.maxQueuedOutputBytes
        let previousMask = umask(0o177)
        defer { umask(previousMask) }
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DescriptorReserve(state: self.descriptorReserve))
                    try channel.pipeline.syncOperations.addHandler(
                        AcceptBackoffHandler(shouldForwardIOErrorCaught: false) { error in
                            self.refusals.warning(
                                "accept",
                                "cannot accept connections; retrying in \(Self.acceptBackoff)",
                                metadata: ["error": "\(error)", "connections": .stringConvertible(self.registry.count)]
                            )
                            return Self.acceptBackoff
                        }
                    )
                }
            }
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // Half of the queued-output budget for replies; pages of streamed events take the other half.
            .childChannelOption(.writeBufferWaterMark, value: .init(low: queued / 4, high: queued / 2))
            .childChannelInitializer { channel in
                PeerCredentials.of(channel).flatMapThrowing { peer in
                    let handlers = channel.pipeline.syncOperations
                    let role = self.configuration.roles.role(
                        of: peer,
                        groups: self.peerGroups,
                        daemonUID: self.daemonUID
                    )
                    // A connection let in by the reserve descriptor is refused: that is all there is room for.
                    let refusal =
                        self.descriptorReserve.exhausted.load(ordering: .relaxed)
                        ? .outOfDescriptors
                        : self.registry.add(channel, uid: peer.uid, role: role, limits: self.connectionLimits)
                    if let refusal {
                        self.metrics.refused(.overloaded)
                        self.refusals.warning(
                            refusal.key,
                            "connection refused: \(refusal.message)",
                            metadata: ["peer": "\(peer)", "connections": .stringConvertible(self.registry.count)]
                        )
                        let error = ProtocolError(.overloaded, refusal.message, fields: ["limit": .string(refusal.key)])
                        try handlers.addHandler(RefusingHandler(reply: Connection.format(error)))
                        return
                    }
                    channel.closeFuture.whenComplete { _ in
                        self.registry.remove(channel)
                        self.closedConnectionsTrim.closed()
                        self.logger.debug("connection closed", metadata: ["peer": "\(peer)"])
                    }
                    self.logger.debug(
                        "connection opened",
                        metadata: ["peer": "\(peer)", "role": "\(role?.rawValue ?? "none")"]
                    )
                    if role == nil {
                        let idle = Int64(self.configuration.unmappedIdleSeconds * 1000)
                        try handlers.addHandler(IdleStateHandler(readTimeout: .milliseconds(idle)))
                    }
                    let connection = Connection(service: self, role: role, peer: peer)
                    try handlers.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxLine + 2)
                    )
                    let handler = ConnectionHandler(
                        router: connection,
                        appender: self.writer,
                        limits: TransportLimits(self.configuration),
                        metrics: self.metrics,
                        mailbox: self.mailboxes.mailbox(for: channel.eventLoop)
                    )
                    try handlers.addHandler(handler)
                }
            }
            .bind(unixDomainSocketPath: configuration.socketPath)
            .get()
    }
}
