import LedgerJSON
import NIOCore
import Synchronization

/// A bounded hand-over between a connection's reader and a subscription's consumer.
///
/// When it is full the reader waits, so it stops reading the socket: a slow consumer pushes back on the server
/// instead of growing memory (the server then drops it with `ERR OVERLOADED` and it resumes).
final class SubscriptionBuffer: Sendable {
    /// What a subscription delivers.
    enum Item: Sendable {
        case event(LedgerEvent)
        /// `LIVE {"position":head}`: caught up.
        case live(JSONValue)
        /// `STANDBY {"consumer"}`: another connection holds the consumer; this one waits to take over.
        case standby(JSONValue)
        /// `ACKED {"position"}`: the consumer's acknowledgements are durable through `position`.
        case acked(JSONValue)
        /// `END {..}`: the subscription ended.
        case end(JSONValue)
    }

    private typealias Consumer = CheckedContinuation<Result<Item, LedgerClientError>?, Never>

    private struct State {
        var items = CircularBuffer<Result<Item, LedgerClientError>>()
        var consumer: Consumer?
        var producer: CheckedContinuation<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// Adds an item, waiting while the buffer is full. Returns at once after `cancel()`.
    func send(_ item: Item) async {
        while true {
            let handOver: (Consumer?, stored: Bool) = state.withLock { state in
                if state.cancelled { return (nil, true) }
                if let consumer = state.consumer {
                    state.consumer = nil
                    return (consumer, true)
                }
                guard state.items.count < capacity else { return (nil, false) }
                state.items.append(.success(item))
                return (nil, true)
            }
            if let consumer = handOver.0 { consumer.resume(returning: .success(item)) }
            if handOver.stored { return }
            await withCheckedContinuation { (producer: CheckedContinuation<Void, Never>) in
                let hasRoom = state.withLock { state in
                    guard !state.cancelled, state.items.count >= capacity else { return true }
                    state.producer = producer
                    return false
                }
                if hasRoom { producer.resume() }
            }
        }
    }

    /// Adds the final item (`END` or a failure) without waiting.
    func finish(_ result: Result<Item, LedgerClientError>) {
        let consumer: Consumer? = state.withLock { state in
            if state.cancelled { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.items.append(result)
            return nil
        }
        consumer?.resume(returning: result)
    }

    /// The next item, waiting for one; nil once cancelled (also when the calling task is cancelled).
    func next() async -> Result<Item, LedgerClientError>? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (consumer: Consumer) in
                let ready: (Result<Item, LedgerClientError>?, CheckedContinuation<Void, Never>?, Bool) =
                    state.withLock { state in
                        if state.cancelled { return (nil, nil, true) }
                        if let item = state.items.popFirst() {
                            defer { state.producer = nil }
                            return (item, state.producer, true)
                        }
                        state.consumer = consumer
                        return (nil, nil, false)
                    }
                ready.1?.resume()
                if ready.2 { consumer.resume(returning: ready.0) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Ends the hand-over: drops what is buffered and wakes both sides.
    func cancel() {
        let (consumer, producer) = state.withLock { state in
            state.cancelled = true
            state.items.removeAll()
            defer {
                state.consumer = nil
                state.producer = nil
            }
            return (state.consumer, state.producer)
        }
        consumer?.resume(returning: nil)
        producer?.resume()
    }
}
