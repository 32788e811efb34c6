import NIOCore
import NIOExtras
import NIOPosix

/// One connection to `ledgerd` over its Unix-domain socket, or over TCP with mutual TLS (`tls://HOST:PORT`), speaking
/// protocol v1.
///
/// Requests may be sent from many tasks at once: they are pipelined on the connection and each caller gets its own
/// reply (the server answers strictly in request order). A request that fails on the server throws
/// `LedgerClientError.server` and leaves the connection usable. Call `close()` when done.
public final class LedgerConnection: Sendable {
    /// The socket path (or `tls://` address) this connection was made to.
    public let socketPath: String
    /// The client certificate of a `tls://` connection (subscriptions made from it connect with it too).
    public let tls: TLSFiles?
    private let channel: any Channel
    private let router = ReplyRouter()
    private let writes: AsyncStream<ByteBuffer>.Continuation
    private let task: Task<Void, Never>

    /// The longest reply line accepted: an event's stored bytes plus the `EVENT ` keyword.
    static let maxReplyLineBytes = 16 << 20

    /// Connects to the daemon's socket, or to its TLS listener at `tls://HOST:PORT` with the client certificate in
    /// `tls`.
    /// - Throws: `LedgerClientError.cannotConnect` naming the address and the reason.
    public static func connect(
        to socketPath: String,
        tls: TLSFiles? = nil
    ) async throws(LedgerClientError) -> LedgerConnection {
        let channel: Wrapped
        do {
            if socketPath.hasPrefix(tlsScheme) {
                channel = try await connectTLS(to: String(socketPath.dropFirst(tlsScheme.count)), files: tls)
            } else {
                channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(unixDomainSocketPath: socketPath) { channel in
                        channel.eventLoop.makeCompletedFuture { try wrap(channel) }
                    }
            }
        } catch {
            throw .cannotConnect(path: socketPath, reason: ConnectFailure.reason(error))
        }
        return LedgerConnection(socketPath: socketPath, tls: tls, channel: channel)
    }

    typealias Wrapped = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// The scheme of a TLS address: `tls://HOST:PORT`.
    public static let tlsScheme = "tls://"

    /// Adds the reply-line decoder to a connected channel and wraps it (on its event loop).
    static func wrap(_ channel: any Channel) throws -> Wrapped {
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxReplyLineBytes)
        )
        return try Wrapped(wrappingChannelSynchronously: channel)
    }

    private init(socketPath: String, tls: TLSFiles?, channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        let (lines, writes) = AsyncStream<ByteBuffer>.makeStream()
        self.socketPath = socketPath
        self.tls = tls
        self.channel = channel.channel
        self.writes = writes
        task = Task { [router] in await Self.run(channel, router: router, lines: lines) }
    }

    deinit {
        writes.finish()
        channel.close(promise: nil)
    }

    /// Closes the connection; requests still waiting fail with `LedgerClientError.connectionClosed`.
    public func close() async {
        writes.finish()
        channel.close(promise: nil)
        await task.value
    }

    /// Writes queued request lines and routes reply lines until the connection ends, then fails what is left.
    private static func run(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        router: ReplyRouter,
        lines: AsyncStream<ByteBuffer>
    ) async {
        var failure = LedgerClientError.connectionClosed
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await line in lines { try await outbound.write(line) }
                    }
                    defer { group.cancelAll() }
                    for try await frame in inbound {
                        try await router.receive(try Self.reply(frame))
                    }
                }
            }
        } catch let error as LedgerClientError {
            failure = error
        } catch is ByteToMessageDecoderError.PayloadTooLargeError {
            failure = .protocolViolation("a reply line is longer than \(maxReplyLineBytes) bytes")
        } catch {
            // A reset or a half line at disconnect: the connection is simply closed.
        }
        router.close(with: failure)
    }

    /// Sends one request line and waits for its complete reply.
    func request(_ line: ByteBuffer, sequence: Bool = false) async throws(LedgerClientError) -> Reply {
        try await Self.wait(for: send(line, sequence: sequence))
    }

    /// Queues one request line without waiting; the future completes with its reply, failing with
    /// `LedgerClientError`.
    func send(_ line: ByteBuffer, sequence: Bool) -> EventLoopFuture<Reply> {
        send(line, as: sequence ? PendingRequest.sequence : PendingRequest.single)
    }

    /// Queues one request line, awaited as `kind` (`PendingRequest.single`, `.sequence` or `.rows`), without
    /// waiting.
    func send(_ line: ByteBuffer, as kind: (EventLoopPromise<Reply>) -> PendingRequest) -> EventLoopFuture<Reply> {
        let promise = channel.eventLoop.makePromise(of: Reply.self)
        if let failure = router.enqueue(kind(promise), line: line, writes: writes) {
            promise.fail(failure)
        }
        return promise.futureResult
    }

    /// Writes `line`, which has no reply of its own (a consumer's `ACK`).
    func send(_ line: ByteBuffer) throws(LedgerClientError) {
        if let failure = router.send(line, writes: writes) { throw failure }
    }

    /// Queues a `SUBSCRIBE` or `CONSUME` whose events are delivered to the returned buffer.
    func subscribe(_ line: ByteBuffer) -> SubscriptionBuffer {
        let buffer = SubscriptionBuffer()
        if let failure = router.enqueue(.subscription(buffer), line: line, writes: writes) {
            buffer.finish(.failure(failure))
        }
        return buffer
    }

    static func wait(for future: EventLoopFuture<Reply>) async throws(LedgerClientError) -> Reply {
        do {
            return try await future.get()
        } catch let error as LedgerClientError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }
}
