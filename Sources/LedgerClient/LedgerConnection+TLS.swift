import NIOCore
import NIOPosix

#if TLS
import NIOSSL
import NIOTLS
#endif

#if canImport(Glibc)
import Glibc
#endif

extension LedgerConnection {
    /// Why a TLS connection could not be made before any socket was opened.
    struct TLSSetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to `HOST:PORT` with mutual TLS: the server's certificate must chain to `files.caFile` and name the
    /// host (a DNS name, or an IP address in its alternative names); this client presents `files.certificateFile`.
    static func connectTLS(to hostAndPort: String, files: TLSFiles?) async throws -> Wrapped {
        guard let colon = hostAndPort.lastIndex(of: ":"),
            let port = Int(hostAndPort[hostAndPort.index(after: colon)...])
        else { throw TLSSetupError(description: "a TLS address is tls://HOST:PORT") }
        var host = String(hostAndPort[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let files else {
            throw TLSSetupError(
                description: "a tls:// address needs a client certificate, its key and the server's CA "
                    + "(--tls-cert, --tls-key, --tls-ca; replication.certificateFile, keyFile, caFile)"
            )
        }
        #if TLS
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .file(files.caFile)
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(files.certificateFile).map {
            .certificate($0)
        }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.keyFile, format: .pem))
        let context = try NIOSSLContext(configuration: configuration)
        // SNI takes only names: for an address, the certificate is checked against the address connected to.
        let hostname = isAddress(host) ? nil : host
        let handshake = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: hostname)
                    )
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatch(handshake, within: handshakeTimeout))
                    return try wrap(channel)
                }
            }
        do {
            try await handshake.futureResult.get()
        } catch {
            try? await channel.channel.close()
            throw error
        }
        return channel
        #else
        throw TLSSetupError(description: "this build has no TLS (built without the TLS trait)")
        #endif
    }

    /// The longest a TLS handshake may take once connected.
    static let handshakeTimeout = TimeAmount.seconds(10)

    /// Whether `host` is a numeric IPv4 or IPv6 address.
    private static func isAddress(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }
}

#if TLS
/// Completes `promise` when the TLS handshake is done, or fails it with the handshake's error (an untrusted server,
/// a name that does not match, a client certificate the server refused), the connection closing, or `timeout`.
private final class HandshakeWatch: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "the TLS handshake did not finish in time" }
    }

    private var promise: EventLoopPromise<Void>?
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(_ promise: EventLoopPromise<Void>, within timeout: TimeAmount) {
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.complete(.failure(TimedOut()))
            channel.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { complete(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(ChannelError.ioOnClosedChannel))
        context.fireChannelInactive()
    }

    private func complete(_ result: Result<Void, any Error>) {
        timer?.cancel()
        promise?.completeWith(result)
        promise = nil
    }
}
#endif
