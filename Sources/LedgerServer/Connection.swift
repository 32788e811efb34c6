import EventLog
import LedgerJSON
import LedgerProtocol
import NIOCore
import NIOExtras
import ServiceLifecycle

/// One client connection: a reader task that parses lines, checks the role and queues jobs in request order, and a
/// reply task that runs them in that order and writes the replies.
///
/// Appends are handed to the writer as soon as they are read, so a client that pipelines shares group commits;
/// every other command runs only after the replies before it, so a client always sees its own earlier writes.
struct Connection: Sendable {
    let service: LedgerService
    let role: Role?
    let peer: PeerCredentials
    /// The underlying channel, for writes that must not wait (dropping a stalled subscriber).
    let channel: any Channel

    typealias Inbound = NIOAsyncChannelInboundStream<ByteBuffer>
    typealias Outbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

    func run(inbound: Inbound, outbound: Outbound) async throws {
        let (jobs, queue) = AsyncStream<Job>.makeStream()
        let window = RequestWindow(limit: service.configuration.maxPipelinedRequests)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await readRequests(inbound, into: queue, window: window) }
            defer { group.cancelAll() }
            try await writeReplies(jobs, to: outbound, window: window)
            window.close()
        }
    }

    // MARK: Reading

    private func readRequests(
        _ inbound: Inbound,
        into queue: AsyncStream<Job>.Continuation,
        window: RequestWindow
    ) async {
        var subscription: SubscriptionControl?
        defer {
            subscription?.stop()
            queue.finish()
        }
        do {
            for try await frame in inbound.cancelOnGracefulShutdown() {
                guard await window.acquire() else { return }
                let line = Array(frame.readableBytesView)[...]
                guard let job = dispatch(line, subscription: &subscription) else {
                    window.release()
                    continue
                }
                queue.yield(job)
                if case .close = job { return }
            }
            if Task.isShuttingDownGracefully {
                queue.yield(.close(errorLine(ProtocolError(.shuttingDown, "the server is shutting down"))))
            }
        } catch is ByteToMessageDecoderError.PayloadTooLargeError {
            let limit = service.configuration.maxLineBytes
            queue.yield(
                .close(
                    errorLine(
                        ProtocolError(
                            .lineTooLong,
                            "the line exceeds \(limit) bytes",
                            fields: ["limit": .number(.init(limit))]
                        )
                    )
                )
            )
        } catch {
            // A half line at disconnect (LeftOverBytesError) or a reset: nothing to answer.
        }
    }

    /// Turns one line into a job; nil when the line needs no reply of its own (`UNSUBSCRIBE` of a live stream).
    private func dispatch(_ line: ArraySlice<UInt8>, subscription: inout SubscriptionControl?) -> Job? {
        if let verb = RequestParser.verb(of: line) {
            guard Verb.alwaysAllowed.contains(verb) || role?.allows(verb) == true else {
                return .reply(errorLine(forbidden(verb.rawValue)))
            }
        } else if role == nil {
            return .reply(errorLine(forbidden("this command")))
        }
        let command: Command
        do {
            command = try RequestParser.parse(line)
        } catch {
            return .reply(errorLine(error))
        }
        switch command {
        case .quit:
            var reply = [UInt8]()
            Reply.ok([:], to: &reply)
            return .close(reply)
        case .ping:
            var reply = [UInt8]()
            Reply.pong(to: &reply)
            return .reply(reply)
        case .append(let stream, let expected, let events):
            do {
                let request = try Self.appendRequest(
                    stream: stream,
                    expected: expected,
                    events: events,
                    allowRecorded: role == .ops
                )
                let ticket = AppendTicket()
                service.writer.submit(request) { ticket.complete($0) }
                return .append(ticket)
            } catch {
                return .reply(errorLine(error))
            }
        case .subscribe(let from, let types):
            guard subscription == nil else {
                return .reply(errorLine(ProtocolError(.badRequest, "already subscribed; send UNSUBSCRIBE first")))
            }
            let control = SubscriptionControl(id: service.notifier.makeID(), notifier: service.notifier)
            subscription = control
            return .subscribe(from: from, types: Set(types), control: control)
        case .unsubscribe:
            guard let active = subscription else {
                return .reply(errorLine(ProtocolError(.badRequest, "not subscribed")))
            }
            active.stop()
            subscription = nil
            return nil
        default:
            return .command(command)
        }
    }

    private func forbidden(_ what: String) -> ProtocolError {
        let message =
            role.map { "the \($0.rawValue) role may not use \(what)" }
            ?? "uid \(peer.uid) has no role on this ledger; ask an operator to map it"
        return ProtocolError(.forbidden, message, fields: role.map { ["role": .string($0.rawValue)] } ?? [:])
    }

    /// The append a line asks for; only `allowRecorded` peers (ops, importing an export) may give `recorded`.
    static func appendRequest(
        stream: String,
        expected: String,
        events: JSONValue,
        allowRecorded: Bool
    ) throws(ProtocolError) -> AppendRequest {
        guard let expectedVersion = ExpectedVersion(expected) else {
            throw ProtocolError(
                .badRequest,
                "expected version must be any, none, exists or a version number, got \"\(expected.prefix(32))\""
            )
        }
        let objects: [JSONValue]
        switch events {
        case .array(let array): objects = array
        default: objects = [events]
        }
        do {
            var proposed = [ProposedEvent]()
            proposed.reserveCapacity(objects.count)
            for (index, object) in objects.enumerated() {
                proposed.append(try ProposedEvent(json: object, index: index, allowRecorded: allowRecorded))
            }
            let conditions = try CatalogueCheck.conditions(stream: stream, events: proposed)
            return try AppendRequest(
                stream: stream,
                expected: expectedVersion,
                events: proposed,
                conditions: conditions
            )
        } catch {
            throw error.wire
        }
    }

    // MARK: Replying

    private func writeReplies(_ jobs: AsyncStream<Job>, to outbound: Outbound, window: RequestWindow) async throws {
        for await job in jobs {
            defer { window.release() }
            switch job {
            case .reply(let bytes):
                try await outbound.write(ByteBuffer(bytes: bytes))
            case .close(let bytes):
                try await outbound.write(ByteBuffer(bytes: bytes))
                return
            case .append(let ticket):
                var reply = [UInt8]()
                switch await ticket.result {
                case .success(let result):
                    var object: [String: JSONValue] = [
                        "first": .number(.init(Int64(result.first))), "last": .number(.init(Int64(result.last))),
                        "version": .number(.init(Int64(result.version))),
                    ]
                    if result.duplicate { object["duplicate"] = true }
                    Reply.ok(.object(object), to: &reply)
                case .failure(let error):
                    let wire = error.wire
                    reply = errorLine(wire)
                    if wire.code.closesConnection {
                        try await outbound.write(ByteBuffer(bytes: reply))
                        return
                    }
                }
                try await outbound.write(ByteBuffer(bytes: reply))
            case .command(let command):
                try await execute(command, outbound: outbound)
            case .subscribe(let from, let types, let control):
                try await subscribe(from: from, types: types, control: control, outbound: outbound)
            }
        }
    }

    /// The reply line for `error`, counted in the metrics by its code.
    func errorLine(_ error: ProtocolError) -> [UInt8] {
        service.metrics.refused(error.code)
        return Self.format(error)
    }

    static func format(_ error: ProtocolError) -> [UInt8] {
        var reply = [UInt8]()
        Reply.error(error, to: &reply)
        return reply
    }
}
