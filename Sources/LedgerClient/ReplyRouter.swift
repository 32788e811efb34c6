import LedgerJSON
import LedgerProtocol
import NIOCore
import Synchronization

/// Matches reply lines to the requests of one connection, strictly in order.
///
/// Requests are queued and written under one lock, so the order of the queue is the order on the wire even when
/// many tasks send at once. Once the connection has ended, every waiting request fails and new ones are refused.
final class ReplyRouter: Sendable {
    private struct State {
        var pending = CircularBuffer<PendingRequest>()
        /// The events received so far for the sequence request at the head of `pending`.
        var events = [LedgerEvent]()
        /// The stored bytes of the events received so far for the `REPLICATE` at the head of `pending`.
        var envelopes = [[UInt8]]()
        /// The rows received so far for the `QUERY` at the head of `pending`.
        var rows = [JSONValue]()
        /// Why the connection ended (or is about to); new requests fail with it.
        var failure: LedgerClientError?
    }

    /// What to do, outside the lock, with a reply line.
    private enum Action {
        case nothing
        case complete(EventLoopPromise<Reply>, Result<Reply, LedgerClientError>)
        case deliver(SubscriptionBuffer, SubscriptionBuffer.Item)
        case finish(SubscriptionBuffer, Result<SubscriptionBuffer.Item, LedgerClientError>)
        case violation(String)
    }

    private let state = Mutex(State())

    /// Queues `request` and hands `line` to the writer, atomically.
    /// - Returns: the connection's failure when it has already ended (nothing was queued).
    func enqueue(
        _ request: PendingRequest,
        line: ByteBuffer,
        writes: AsyncStream<ByteBuffer>.Continuation
    ) -> LedgerClientError? {
        state.withLock { state in
            if let failure = state.failure { return failure }
            state.pending.append(request)
            writes.yield(line)
            return nil
        }
    }

    /// Hands `line`, a request with no reply of its own (a consumer's `ACK`), to the writer.
    /// - Returns: the connection's failure when it has already ended (nothing was written).
    func send(_ line: ByteBuffer, writes: AsyncStream<ByteBuffer>.Continuation) -> LedgerClientError? {
        state.withLock { state in
            if let failure = state.failure { return failure }
            writes.yield(line)
            return nil
        }
    }

    /// Routes one reply line to the request at the head of the queue.
    /// - Throws: `LedgerClientError.protocolViolation` when the line cannot be the reply to that request, or is an
    ///   `EVENT` line whose bytes are not an event.
    func receive(_ line: ReplyLine) async throws(LedgerClientError) {
        var event: LedgerEvent?
        // A replica's events are kept as they came; any other request's are decoded, before the lock is taken.
        if case .event(let bytes) = line, !state.withLock({ $0.pending.first?.keepsEnvelopes ?? false }) {
            // Decoded before the lock is taken.
            do {
                event = try LedgerEvent(bytes: bytes)
            } catch {
                throw .protocolViolation("EVENT line that is not an event: \(error)")
            }
        }
        switch state.withLock({ Self.route(line, event: event, &$0) }) {
        case .nothing:
            break
        case .complete(let promise, let result):
            promise.completeWith(result.mapError { $0 as any Error })
        case .deliver(let buffer, let item):
            await buffer.send(item)
        case .finish(let buffer, let result):
            buffer.finish(result)
        case .violation(let message):
            throw .protocolViolation(message)
        }
    }

    /// Fails every waiting request with `error` (or the server's closing error, if one came first) and refuses new
    /// ones.
    func close(with error: LedgerClientError) {
        let (pending, failure) = state.withLock { state in
            let failure = state.failure ?? error
            state.failure = failure
            let pending = state.pending
            state.pending.removeAll()
            state.events.removeAll()
            state.envelopes.removeAll()
            state.rows.removeAll()
            return (pending, failure)
        }
        for request in pending {
            switch request {
            case .single(let promise), .sequence(let promise), .rows(let promise), .envelopes(let promise):
                promise.fail(failure)
            case .subscription(let buffer): buffer.finish(.failure(failure))
            }
        }
    }

    /// What to do with `line`, whose `event` is decoded when it is an `EVENT` line.
    private static func route(_ line: ReplyLine, event: LedgerEvent?, _ state: inout State) -> Action {
        let failure = LedgerClientError(line)
        if let failure, failure.code?.closesConnection == true {
            // The server closes the connection after these: later requests get the same error.
            state.failure = failure
        }
        guard let head = state.pending.first else {
            if failure != nil, state.failure != nil { return .nothing }
            return .violation("\(line.keyword.rawValue) reply with no request outstanding")
        }
        if let failure {
            state.pending.removeFirst()
            state.events.removeAll()
            state.envelopes.removeAll()
            state.rows.removeAll()
            switch head {
            case .single(let promise), .sequence(let promise), .rows(let promise), .envelopes(let promise):
                return .complete(promise, .failure(failure))
            case .subscription(let buffer):
                return .finish(buffer, .failure(failure))
            }
        }
        if let event {
            switch head {
            case .sequence:
                state.events.append(event)
                return .nothing
            case .subscription(let buffer):
                return .deliver(buffer, .event(event))
            case .single, .rows, .envelopes:
                return .violation("unexpected EVENT reply")
            }
        }
        if case .envelopes = head, case .event(let bytes) = line {
            state.envelopes.append(bytes)
            return .nothing
        }
        switch (head, line) {
        case (.single(let promise), .pong):
            state.pending.removeFirst()
            return .complete(promise, .success(.pong))
        case (.single(let promise), .ok(let json)):
            state.pending.removeFirst()
            return .complete(promise, .success(.ok(json)))
        case (.sequence(let promise), .end(let json)):
            state.pending.removeFirst()
            defer { state.events.removeAll() }
            return .complete(promise, .success(.events(state.events, end: json)))
        case (.envelopes(let promise), .end(let json)):
            state.pending.removeFirst()
            defer { state.envelopes.removeAll() }
            return .complete(promise, .success(.envelopes(state.envelopes, end: json)))
        case (.rows, .row(let json)):
            state.rows.append(json)
            return .nothing
        case (.rows(let promise), .end(let json)):
            state.pending.removeFirst()
            defer { state.rows.removeAll() }
            return .complete(promise, .success(.rows(state.rows, end: json)))
        case (.subscription(let buffer), .live(let json)):
            return .deliver(buffer, .live(json))
        case (.subscription(let buffer), .standby(let json)):
            return .deliver(buffer, .standby(json))
        case (.subscription(let buffer), .acked(let json)):
            return .deliver(buffer, .acked(json))
        case (.subscription(let buffer), .end(let json)):
            state.pending.removeFirst()
            return .finish(buffer, .success(.end(json)))
        default:
            return .violation("unexpected \(line.keyword.rawValue) reply")
        }
    }
}
