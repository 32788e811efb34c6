import LedgerProtocol
import NIOCore
import NIOPosix

#if TLS
import NIOSSL
import NIOTLS
import X509
#endif

/// The TLS listener's settings with its certificates and key loaded, at start: a file that cannot be read or is not
/// PEM stops the daemon there (exit 2), naming the key.
struct PreparedTLS: Sendable {
    let settings: TLSSettings
    #if TLS
    let context: NIOSSLContext
    #endif

    init(_ settings: TLSSettings) throws(StartupError) {
        self.settings = settings
        #if TLS
        do {
            var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: try Self.load("tls.certificateFile", settings.certificateFile) {
                    try NIOSSLCertificate.fromPEMFile($0).map { .certificate($0) }
                },
                privateKey: .privateKey(
                    try Self.load("tls.keyFile", settings.keyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) }
                ),
                trustRoots: .certificates(
                    try Self.load("tls.clientCAFile", settings.clientCAFile) { try NIOSSLCertificate.fromPEMFile($0) }
                )
            )
            configuration.minimumTLSVersion = .tlsv12
            context = try NIOSSLContext(configuration: configuration)
        } catch let error as StartupError {
            throw error
        } catch {
            throw .configuration("tls: the certificate and key do not make a TLS server: \(error)")
        }
        #else
        throw .configuration("tls is configured, but this ledgerd was built without TLS (the TLS trait)")
        #endif
    }

    #if TLS
    private static func load<Loaded>(_ key: String, _ path: String, _ read: (String) throws -> Loaded) throws -> Loaded
    {
        do {
            return try read(path)
        } catch {
            throw StartupError.configuration("\(key): cannot read a PEM file at \(path): \(error)")
        }
    }
    #endif
}

#if TLS
/// The line protocol over TCP with mutual TLS (`tls`): for followers and services on other machines. A client must
/// present a certificate that chains to `tls.clientCAFile`; its role comes from `tls.roles` (`CertificateRoles`), and
/// from then on its connection is served as a local one is (`SocketServer.admit`), its limits counted per certificate
/// subject. Until its handshake is done it holds one of `tls.maxPendingHandshakes` places (at most
/// `tls.maxPendingPerAddress` per address, an IPv6 /64 counting as one), apart from the connections served, and it is
/// closed without a word when its handshake takes longer than `tls.handshakeTimeoutSeconds`.
enum TLSListener {
    /// Binds `tls.settings.listen`; each accepted connection goes through the TLS handshake, then to `server.admit`.
    static func bind(_ tls: PreparedTLS, server: SocketServer) async throws -> any Channel {
        let (settings, context) = (tls.settings, tls.context)
        let pending = PendingHandshakes(settings)
        let reserve = DescriptorReserve.State()
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try server.addAcceptBackoff(to: channel, reserve: reserve) }
            }
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: server.writeBufferWaterMark)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let address = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                    let key = PendingHandshakes.key(of: channel.remoteAddress)
                    // Let in by the reserve descriptor: closed at once, for that is all there is room for.
                    let limit = reserve.exhausted.load(ordering: .relaxed) ? "RLIMIT_NOFILE" : pending.begin(key)
                    if let limit {
                        server.refusedHandshake(from: address, limit: limit)
                        throw ChannelError.inputClosed
                    }
                    do {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                        try channel.pipeline.syncOperations.addHandler(
                            HandshakeGate(
                                address: address,
                                settings: settings,
                                server: server,
                                release: { pending.end(key) }
                            )
                        )
                    } catch {
                        pending.end(key)
                        throw error
                    }
                }
            }
            .bind(host: settings.listen.host, port: settings.listen.port)
            .get()
    }

    /// Waits for the handshake, then names the peer by its certificate and hands the connection to `server`; closes
    /// it when the handshake takes too long. Releases the connection's pending place once, either way.
    private final class HandshakeGate: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        let address: String
        let settings: TLSSettings
        let server: SocketServer
        private var release: (() -> Void)?
        private var timeout: Scheduled<Void>?

        init(address: String, settings: TLSSettings, server: SocketServer, release: @escaping () -> Void) {
            self.address = address
            self.settings = settings
            self.server = server
            self.release = release
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let channel = context.channel
            timeout = channel.eventLoop.scheduleTask(in: TimeAmount(settings.handshakeTimeout)) {
                channel.close(promise: nil)
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            timeout?.cancel()
            releasePlace()
        }

        func channelInactive(context: ChannelHandlerContext) {
            timeout?.cancel()
            releasePlace()
            context.fireChannelInactive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            context.fireUserInboundEventTriggered(event)
            guard case TLSUserEvent.handshakeCompleted = event else { return }
            timeout?.cancel()
            releasePlace()
            do {
                let handler = try context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
                let (subject, names) = try Self.names(of: handler.peerCertificate)
                try server.admit(
                    context.channel,
                    peer: .certificate(subject: subject, address: address),
                    role: settings.roles.role(subject: subject, names: names)
                )
                context.pipeline.syncOperations.removeHandler(self, promise: nil)
            } catch {
                context.close(promise: nil)
            }
        }

        private func releasePlace() {
            release?()
            release = nil
        }

        /// The subject (RFC 4514) and the DNS, URI and email alternative names of the client's certificate.
        static func names(of certificate: NIOSSLCertificate?) throws -> (String, [String]) {
            guard let certificate else { throw NIOSSLError.noCertificateToValidate }
            let parsed = try Certificate(derEncoded: try certificate.toDERBytes())
            let given = try parsed.extensions.subjectAlternativeNames.map(Array.init) ?? []
            let alternatives = given.compactMap { name -> String? in
                switch name {
                case .dnsName(let text), .uniformResourceIdentifier(let text), .rfc822Name(let text): text
                default: nil
                }
            }
            return (parsed.subject.description, alternatives)
        }
    }
}
#endif
