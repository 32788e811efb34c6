import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTP endpoint Prometheus scrapes (`metrics.address`): `GET /metrics` (the `METRICS` text) and `GET /healthz`
/// (`Health` as JSON, 200 or 503); `HEAD` too. Other paths are 404, other methods 405.
///
/// Limits: at most `maxConnections` connections at once (more are closed at once, logged once per burst); one request
/// per connection, answered with `Connection: close`; a connection may send at most `maxRequestBytes` (more is 431 and
/// closed); a connection idle for `idleTimeout` is closed. It reads nothing from LMDB beyond what the `METRICS` sample
/// reads.
public final class MetricsHTTPServer: Service, Sendable, CustomStringConvertible {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The most connections served at once.
    static let maxConnections = 16
    /// A connection that sends and receives nothing for this long is closed.
    static let idleTimeout = TimeAmount.seconds(5)
    /// The most bytes a connection may send: its request line and headers (GET and HEAD carry no body).
    static let maxRequestBytes = 8192

    /// Where it listens (with the port the system chose for port 0).
    public let address: ListenAddress
    private let listener: NIOAsyncChannel<Connection, Never>
    private let report: DaemonReport
    private let logger: Logger
    /// Refused connections, logged once per burst.
    private let refusals: BurstLog
    private let open = Atomic(0)
    public var description: String { "metrics HTTP server on \(address)" }

    private init(
        address: ListenAddress,
        listener: NIOAsyncChannel<Connection, Never>,
        report: DaemonReport,
        logger: Logger
    ) {
        self.address = address
        self.listener = listener
        self.report = report
        self.logger = logger
        refusals = BurstLog(logger: logger)
    }

    /// Listens on `address` (nothing is served until `run()`).
    /// - Throws: `StartupError.socketInUse` (exit 4) when the address is in use or cannot be bound.
    public static func bind(
        _ address: ListenAddress,
        report: DaemonReport,
        logger: Logger
    ) async throws(StartupError)
        -> MetricsHTTPServer
    {
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                // A client that half-closes after its request (`printf ... | nc`, `socat`) still gets the answer.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handlers = channel.pipeline.syncOperations
                        try handlers.addHandler(RequestSizeLimitHandler(maxBytes: maxRequestBytes))
                        try handlers.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        try handlers.addHandler(IdleCloseHandler())
                        try handlers.configureHTTPServerPipeline(withPipeliningAssistance: false)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .socketInUse(
                "cannot listen on \(address) (metrics.address or --metrics-address): \(error); "
                    + "stop what listens there or choose another address"
            )
        }
        var bound = address
        bound.port = listener.channel.localAddress?.port ?? address.port
        return MetricsHTTPServer(address: bound, listener: listener, report: report, logger: logger)
    }

    public func run() async throws {
        logger.info("metrics served over HTTP", metadata: ["address": "\(address)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { connections in
                        for try await connection in connections {
                            guard admit() else {
                                refusals.warning(
                                    "metrics-http",
                                    "metrics HTTP connection refused: \(Self.maxConnections) already open"
                                )
                                // Through `executeThenClose`, which finishes the connection's writer before closing.
                                try? await connection.executeThenClose { _, _ in }
                                continue
                            }
                            group.addTask {
                                await self.serve(connection)
                                self.open.subtract(1, ordering: .relaxed)
                            }
                        }
                    }
                } catch {
                    logger.debug("the metrics HTTP listener closed", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            self.listener.channel.close(promise: nil)
        }
    }

    /// Counts a new connection in unless `maxConnections` are open.
    private func admit() -> Bool {
        guard open.load(ordering: .relaxed) < Self.maxConnections else { return false }
        open.add(1, ordering: .relaxed)
        return true
    }

    /// Answers the connection's one request, then closes it.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let received): head = received
                    case .body: continue
                    case .end:
                        guard let head else { return }
                        let response = await respond(to: head)
                        try await outbound.write(.head(response.head))
                        if head.method != .HEAD { try await outbound.write(.body(.byteBuffer(response.body))) }
                        try await outbound.write(.end(nil))
                        return
                    }
                }
            }
        } catch {
            logger.debug("metrics HTTP connection failed", metadata: ["error": "\(error)"])
        }
    }

    /// The response to `head`: the path decides first (404), then the method (405).
    func respond(to head: HTTPRequestHead) async -> Response {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == "/metrics" || path == "/healthz" else {
            return Response(status: .notFound, text: "not found: ledgerd serves /metrics and /healthz\n")
        }
        guard head.method == .GET || head.method == .HEAD else {
            return Response(status: .methodNotAllowed, text: "only GET and HEAD\n", allow: "GET, HEAD")
        }
        if path == "/metrics" {
            return Response(
                status: .ok,
                text: await report.metricsExposition(process: true),
                contentType: "text/plain; version=0.0.4; charset=utf-8"
            )
        }
        let health = await report.health()
        return Response(
            status: health.healthy ? .ok : .serviceUnavailable,
            text: health.json + "\n",
            contentType: "application/json"
        )
    }

    /// A complete response: status, headers (`Content-Length` and `Connection: close` included) and body.
    struct Response {
        var head: HTTPResponseHead
        var body: ByteBuffer

        init(
            status: HTTPResponseStatus,
            text: String,
            contentType: String = "text/plain; charset=utf-8",
            allow: String? = nil
        ) {
            body = ByteBuffer(string: text)
            var headers = HTTPHeaders([
                ("Content-Type", contentType), ("Content-Length", String(body.readableBytes)), ("Connection", "close"),
            ])
            if let allow { headers.add(name: "Allow", value: allow) }
            head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        }
    }
}
