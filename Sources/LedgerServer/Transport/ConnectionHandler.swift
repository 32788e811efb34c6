import EventLog
import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore
import NIOExtras

/// One connection's requests and replies, on its event loop.
///
/// Each request line takes the next slot in `slots`. A reply known at once (an error, `PONG`) fills its slot
/// straight away; an append goes to the group-commit writer at once (so a pipelining client shares group commits) and
/// its slot is filled when its transaction is durable (the result comes through the loop's `AnswerMailbox`); any other
/// command runs in a task once every reply before it has been written, so a client always sees its own earlier
/// writes. Replies leave strictly in slot order.
///
/// Reading pauses while `maxPipelinedRequests` slots are taken or the socket is not writable, so a client that
/// pipelines without reading cannot grow the daemon's memory.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Fired at every connection when the daemon shuts down: answer what is queued, then `SHUTTING_DOWN`, then close.
    struct ShutdownEvent: Sendable {}

    private enum Slot {
        case reply([UInt8])
        case close([UInt8])
        case appending
        case appended([UInt8], closes: Bool)
        case command(Command)
        case subscribe(SubscriptionControl)
    }

    /// A request line's verb (nil: not one of protocol v1's) and when it was read.
    private struct Request {
        var verb: Verb?
        var received: ContinuousClock.Instant
    }

    /// Whether requests are still taken.
    private enum State {
        /// Requests are read and taken.
        case open
        /// No more requests are taken (the peer half-closed, a line was too long, a reply closes the connection, or the
        /// daemon is stopping); what is queued is still answered, then the connection closes.
        case inputEnded
        /// Closed: nothing more is written.
        case closed
    }

    private let router: any RequestRouter
    private let appender: any Appender
    private let limits: TransportLimits
    private let metrics: LedgerMetrics
    /// Where the writer posts this connection's append results (shared by the connections of its event loop).
    private let mailbox: AnswerMailbox
    private var state = State.open
    private var slots = CircularBuffer<Slot>()
    /// The request each slot answers, for the latency metrics (kept in step with `slots`).
    private var requests = CircularBuffer<Request?>()
    /// The request number of `slots.first`.
    private var firstSlot: UInt64 = 0
    /// A command's task is writing its replies; the slots after it wait.
    private var taskRunning = false
    private var readPaused = false
    private var subscription: SubscriptionControl?

    init(
        router: any RequestRouter,
        appender: any Appender,
        limits: TransportLimits,
        metrics: LedgerMetrics,
        mailbox: AnswerMailbox
    ) {
        self.router = router
        self.appender = appender
        self.limits = limits
        self.metrics = metrics
        self.mailbox = mailbox
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open = state else { return }
        let buffer = unwrapInboundIn(data)
        // The decoder's buffer limit only catches a line still incomplete after a read; this catches the rest.
        guard buffer.readableBytes <= limits.maxLineBytes else {
            return lineTooLong(context: context)
        }
        let line = Array(buffer.readableBytesView)[...]
        let verb = RequestParser.verb(of: line)
        guard let job = router.dispatch(line, verb: verb, subscription: &subscription) else { return }
        take(job, request: Request(verb: verb, received: .now), context: context)
        pump(context: context)
    }

    /// Takes `job` into the next slot; `request` is nil for a line the server sends of its own accord (closing).
    private func take(_ job: Job, request: Request? = nil, context: ChannelHandlerContext) {
        requests.append(request)
        switch job {
        case .reply(let line): slots.append(.reply(line))
        case .close(let line):
            slots.append(.close(line))
            endInput()
        case .command(let command): slots.append(.command(command))
        case .subscribe(let control):
            slots.append(.subscribe(control))
        case .append(let request):
            let number = firstSlot + UInt64(slots.count)
            slots.append(.appending)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let mailbox = mailbox
            appender.submit(request) { result in
                mailbox.post(AnswerMailbox.Answer(connection: bound, number: number, result: result, request: request))
            }
        }
    }

    /// Fills the slot of append `number` with its reply; `pump` then writes it in its turn (the mailbox pumps each
    /// connection once, however many of its appends it answers).
    func fill(_ number: UInt64, _ result: Result<AppendResult, EventLogError>) {
        guard state != .closed, number >= firstSlot, number - firstSlot < UInt64(slots.count) else { return }
        let (line, closes) = router.appendReply(result)
        let offset = Int(number - firstSlot)
        slots[slots.index(slots.startIndex, offsetBy: offset)] = .appended(line, closes: closes)
        if let request = requests[requests.index(requests.startIndex, offsetBy: offset)] {
            metrics.appended(after: .now - request.received)
        }
        if closes { endInput() }
    }

    // MARK: Replies

    /// Writes every reply that is ready, in order, and starts the next command's task when its turn has come.
    /// Consecutive ready replies go out in one buffer with one flush (a pipelining client's answers arrive in bursts).
    func pump(context: ChannelHandlerContext) {
        var ready: ByteBuffer?
        func writeReady() {
            guard let buffer = ready else { return }
            ready = nil
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        func add(_ line: [UInt8]) {
            if ready == nil { ready = context.channel.allocator.buffer(capacity: max(line.count, 512)) }
            ready?.writeBytes(line)
        }
        pumping: while state != .closed, !taskRunning, let slot = slots.first {
            switch slot {
            case .appending:
                break pumping
            case .reply(let line), .appended(let line, closes: false):
                add(line)
                removeFirstSlot(context: context)
            case .close(let line), .appended(let line, closes: true):
                add(line)
                writeReady()
                answered()
                close(context: context)
            case .command(let command):
                writeReady()
                run(context: context) { router, outbound in
                    try await router.execute(command, outbound: outbound)
                }
            case .subscribe(let control):
                writeReady()
                run(context: context) { router, outbound in
                    try await router.subscribe(control, outbound: outbound)
                }
            }
        }
        guard state != .closed else { return }
        writeReady()
        if state == .inputEnded, slots.isEmpty { close(context: context) }
    }

    /// Runs the head slot's command in a task; the slot is freed when the task has written its last reply.
    private func run(
        context: ChannelHandlerContext,
        _ body: @escaping @Sendable (any RequestRouter, ReplyWriter) async throws -> Void
    ) {
        taskRunning = true
        let router = router
        let outbound = ReplyWriter(channel: context.channel)
        let eventLoop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: eventLoop)
        Task {
            let failed: Bool
            do {
                try await body(router, outbound)
                failed = false
            } catch {
                failed = true
            }
            eventLoop.execute {
                let (handler, context) = bound.value
                handler.taskFinished(failed: failed, context: context)
            }
        }
    }

    private func taskFinished(failed: Bool, context: ChannelHandlerContext) {
        taskRunning = false
        // A subscription that ended by itself (an error, a refused ACK) is no longer the connection's.
        if case .subscribe(let control) = slots.first, subscription?.id == control.id { subscription = nil }
        guard state != .closed else { return }
        // A failed write means the client is gone or was dropped as a stalled subscriber.
        if failed { return close(context: context) }
        removeFirstSlot(context: context)
        pump(context: context)
    }

    private func removeFirstSlot(context: ChannelHandlerContext) {
        answered()
        slots.removeFirst()
        requests.removeFirst()
        firstSlot += 1
        resumeReading(context: context)
    }

    /// Records the latency of the first slot's request, whose reply has just been written (a subscription's or a
    /// consumer's is not recorded: it streams until stopped).
    private func answered() {
        guard let request = requests.first ?? nil, request.verb != .subscribe, request.verb != .consume else { return }
        metrics.answered(request.verb, after: .now - request.received)
    }

    private func close(context: ChannelHandlerContext) {
        guard state != .closed else { return }
        state = .closed
        subscription?.stop()
        context.close(promise: nil)
    }

    /// Takes no more requests; what is queued is still answered.
    private func endInput() {
        if state == .open { state = .inputEnded }
        subscription?.stop()
        subscription = nil
    }

    // MARK: Backpressure

    func read(context: ChannelHandlerContext) {
        if mayRead(context) {
            context.read()
        } else {
            readPaused = true
        }
    }

    /// Whether to read more requests: not while `maxPipelinedRequests` slots are taken, nor while the socket is full
    /// unless a subscription is streaming (its output is bounded by the page it writes, the requests queued behind it
    /// by the slots, and a consumer's `ACK`s must be read for its stream to go on).
    private func mayRead(_ context: ChannelHandlerContext) -> Bool {
        slots.count < limits.maxPipelinedRequests && (context.channel.isWritable || subscription != nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReading(context: context)
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading(context: ChannelHandlerContext) {
        guard readPaused, mayRead(context) else { return }
        readPaused = false
        context.read()
    }

    // MARK: Connection events

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            endInput()
            pump(context: context)
        case is ShutdownEvent:
            guard state == .open else { break }
            take(
                .close(router.errorLine(ProtocolError(.shuttingDown, "the server is shutting down"))),
                context: context
            )
            pump(context: context)
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            // Only connections without a role have an `IdleStateHandler`.
            guard state == .open else { break }
            let seconds = limits.unmappedIdleSeconds
            let closing = ProtocolError(
                .overloaded,
                "closing: no role and no request for \(seconds) s (limits.unmappedIdleSeconds)",
                fields: ["limit": "limits.unmappedIdleSeconds"]
            )
            take(.close(router.errorLine(closing)), context: context)
            pump(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is ByteToMessageDecoderError.PayloadTooLargeError:
            lineTooLong(context: context)
        case is NIOExtrasErrors.LeftOverBytesError:
            // A half line when the client disconnected: discarded, never executed.
            endInput()
            pump(context: context)
        default:
            close(context: context)
        }
    }

    /// Answers `LINE_TOO_LONG` after what is queued, and closes.
    private func lineTooLong(context: ChannelHandlerContext) {
        guard state == .open else { return }
        let limit = limits.maxLineBytes
        let tooLong = ProtocolError(
            .lineTooLong,
            "the line exceeds \(limit) bytes",
            fields: ["limit": .number(.init(limit))]
        )
        take(.close(router.errorLine(tooLong)), context: context)
        pump(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        subscription?.stop()
        subscription = nil
        slots.removeAll()
        requests.removeAll()
        context.fireChannelInactive()
    }
}
