import EventLog
import LedgerProtocol
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Serves protocol v1 on the Unix-domain socket, as a service: it binds (mode and access list as configured), tells
/// systemd it is ready, and admits each connection under `ConnectionLimits` with a line decoder and a
/// `ConnectionHandler`. On graceful shutdown it stops accepting, lets connections finish what is in flight (each is
/// sent `SHUTTING_DOWN` after its queued replies), closes stragglers after `shutdownGraceSeconds` and removes the
/// socket file; the services declared before it (signer, fold, writer) stop after it.
final class SocketServer: Service, Sendable, CustomStringConvertible {
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let ports: RequestPorts
    private let appender: any Appender
    private let registry: ConnectionRegistry
    private let serving: ServingFlag
    /// Who may connect: `limits.*` connection limits, with the total lowered to what the descriptor limit allows.
    private let connectionLimits: ConnectionLimits
    /// Refused connections and failed accepts, logged once per burst.
    private let refusals: BurstLog
    /// Gives back the heap that closed connections (dropped subscribers above all) freed.
    private let closedConnectionsTrim = ClosedConnectionsTrim()
    /// Set while the listening socket's reserve descriptor is let go (the daemon is out of descriptors).
    private let descriptorReserve = DescriptorReserve.State()
    private let mailboxes = AnswerMailboxes()
    private let daemonUID = getuid()
    /// The peers' groups for their roles, cached per uid for `PeerGroups.defaultLifetime`.
    private let peerGroups = PeerGroups()
    let description = "socket server"

    /// The TLS listener's certificates, when `tls` is configured.
    private let tls: PreparedTLS?

    init(
        ports: RequestPorts,
        appender: any Appender,
        registry: ConnectionRegistry,
        serving: ServingFlag,
        tls: PreparedTLS?
    ) {
        self.tls = tls
        configuration = ports.configuration
        logger = ports.logger
        refusals = ports.refusals
        self.ports = ports
        self.appender = appender
        self.registry = registry
        self.serving = serving
        connectionLimits = ConnectionLimits(
            configuration,
            descriptorCapacity: DescriptorLimit.capacity(for: configuration.maxConnections)
        )
    }

    /// How long the daemon waits before accepting again after `accept` failed (out of file descriptors): the pending
    /// connection stays in the listen backlog, and accepting at once would fail again at once, spinning a core.
    static let acceptBackoff = TimeAmount.milliseconds(250)

    func run() async throws {
        // TLS first: a client that reaches the socket finds every listener up (or the daemon gone).
        let tlsServer = try await bindTLS()
        let server: any Channel
        do {
            server = try await bind()
        } catch {
            tlsServer?.close(promise: nil)
            throw error
        }
        SocketFile.setMode(configuration.socketPath, configuration.socketMode)
        grantRolesTheSocket()
        let log = ports.log
        var serving: Logger.Metadata = [
            "socket": "\(configuration.socketPath)", "dataDirectory": "\(configuration.dataDirectory)",
            "head": .stringConvertible(log.head.position), "version": "\(LedgerDaemon.version)",
            "staleReadersCleared": .stringConvertible(log.environment.staleReadersClearedAtOpen),
        ]
        if let address = tlsServer?.localAddress {
            serving["tls"] = "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
        logger.info("serving", metadata: serving)
        if connectionLimits.total < configuration.maxConnections {
            logger.warning(
                "the file-descriptor limit allows fewer connections than limits.maxConnections; raise LimitNOFILE",
                metadata: [
                    "connections": .stringConvertible(connectionLimits.total),
                    "maxConnections": .stringConvertible(configuration.maxConnections),
                ]
            )
        }
        self.serving.set(true)
        let health = await ports.report.health()
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
        tlsServer?.close(promise: nil)
        logger.info("shutting down", metadata: ["connections": .stringConvertible(registry.count)])
        self.serving.set(false)
        SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping, head \(log.head.position)")
        ports.notifier.finish()
        ports.consumers.finish()
        registry.beginShutdown()
        if configuration.syncReplication.blocks {
            // Appends waiting for followers under `block` would wait out the grace period and be cut off unanswered:
            // they are answered SHUTTING_DOWN now, not acknowledged (a retry with the same ids is safe).
            ports.replication.followers.refuse(with: .shuttingDown)
        }
        await registry.drain(within: configuration.shutdownGraceSeconds)
        SocketFile.remove(configuration.socketPath)
    }

    /// Listens for TLS clients when `tls` is configured (`TLSListener`); nil otherwise.
    /// - Throws: `StartupError.socketInUse` naming the address when it cannot be listened on.
    private func bindTLS() async throws -> (any Channel)? {
        #if TLS
        guard let tls else { return nil }
        do {
            return try await TLSListener.bind(tls, server: self)
        } catch {
            throw StartupError.socketInUse(
                "cannot listen for TLS clients on \(tls.settings.listen) (tls.listen): \(error); "
                    + "stop what listens there or choose another address"
            )
        }
        #else
        return nil
        #endif
    }

    /// Logs a TLS connection closed before its handshake because `limit` (a configuration key) was reached.
    func refusedHandshake(from address: String, limit: String) {
        ports.metrics.refused(.overloaded)
        refusals.warning(
            limit,
            "TLS connection closed before its handshake: \(limit) reached",
            metadata: ["peer": "\(address)", "connections": .stringConvertible(registry.count)]
        )
    }

    /// Half of the queued-output budget for replies; pages of streamed events take the other half.
    var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMarkOption.Value {
        let queued = configuration.maxQueuedOutputBytes
        return .init(low: queued / 4, high: queued / 2)
    }

    /// Lets a listening channel survive running out of descriptors: a reserve descriptor (`DescriptorReserve`, whose
    /// `reserve` state tells the child channels) and a pause of `acceptBackoff` after a failed `accept`, logged once
    /// per burst.
    func addAcceptBackoff(to channel: any Channel, reserve: DescriptorReserve.State) throws {
        try channel.pipeline.syncOperations.addHandler(DescriptorReserve(state: reserve))
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

    /// Serves `channel` from `peer` with `role` (on its event loop): admitted under `connectionLimits` (or answered
    /// `ERR OVERLOADED` and closed), it gets a line decoder and a `ConnectionHandler`; one without a role is closed
    /// after `unmappedIdleSeconds` without a request. One whose TLS handshake ends while the daemon shuts down is
    /// closed.
    func admit(_ channel: any Channel, peer: Peer, role: Role?) throws {
        guard !registry.isShuttingDown else {
            channel.close(promise: nil)
            return
        }
        let maxLine = configuration.maxLineBytes
        let handlers = channel.pipeline.syncOperations
        // A connection let in by the reserve descriptor is refused: that is all there is room for.
        let refusal =
            descriptorReserve.exhausted.load(ordering: .relaxed)
            ? .outOfDescriptors
            : registry.add(channel, owner: peer.owner, role: role, limits: connectionLimits)
        if let refusal {
            ports.metrics.refused(.overloaded)
            refusals.warning(
                refusal.key,
                "connection refused: \(refusal.message)",
                metadata: ["peer": "\(peer)", "connections": .stringConvertible(registry.count)]
            )
            let error = ProtocolError(.overloaded, refusal.message, fields: ["limit": .string(refusal.key)])
            try handlers.addHandler(RefusingHandler(reply: Connection.format(error)))
            return
        }
        watch(channel, peer: peer)
        logger.debug("connection opened", metadata: ["peer": "\(peer)", "role": "\(role?.rawValue ?? "none")"])
        if role == nil {
            let idle = Int64(configuration.unmappedIdleSeconds * 1000)
            try handlers.addHandler(IdleStateHandler(readTimeout: .milliseconds(idle)))
        }
        let connection = Connection(ports: ports, role: role, peer: peer)
        try handlers.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxLine + 2))
        let handler = ConnectionHandler(
            router: connection,
            appender: appender,
            limits: TransportLimits(configuration),
            metrics: ports.metrics,
            mailbox: mailboxes.mailbox(for: channel.eventLoop)
        )
        try handlers.addHandler(handler)
    }

    /// Takes `channel` out of the registry when it closes.
    func watch(_ channel: any Channel, peer: Peer) {
        channel.closeFuture.whenComplete { _ in
            self.registry.remove(channel)
            self.closedConnectionsTrim.closed()
            self.logger.debug("connection closed", metadata: ["peer": "\(peer)"])
        }
    }

    /// Listens on the socket; each accepted connection is admitted under `connectionLimits` (or answered
    /// `ERR OVERLOADED` and closed) and gets a line decoder and a `ConnectionHandler`. A connection without a role is
    /// closed after `unmappedIdleSeconds` without a request. When `accept` fails for want of descriptors, the
    /// connection that the reserve descriptor lets in is refused and accepting resumes after `acceptBackoff`.
    private func bind() async throws -> any Channel {
        let previousMask = umask(0o177)
        defer { umask(previousMask) }
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.addAcceptBackoff(to: channel, reserve: self.descriptorReserve)
                }
            }
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: writeBufferWaterMark)
            .childChannelInitializer { channel in
                PeerCredentials.of(channel).flatMapThrowing { credentials in
                    let role = self.configuration.roles.role(
                        of: credentials,
                        groups: self.peerGroups,
                        daemonUID: self.daemonUID
                    )
                    try self.admit(channel, peer: .local(credentials), role: role)
                }
            }
            .bind(unixDomainSocketPath: configuration.socketPath)
            .get()
    }
}
