import EventLog
import LedgerProtocol

/// What one request line asks the connection to do, in its place in the reply order.
enum Job: Sendable {
    /// A reply already known (errors, `PONG`).
    case reply([UInt8])
    /// An append for the group-commit writer; the reply waits for its durable result.
    case append(AppendRequest)
    /// A command run in a task when its turn comes (reads, status, queries, verify).
    case command(Command)
    /// A subscription or a durable consumer's turn, streaming until stopped.
    case subscribe(SubscriptionControl)
    /// A last reply, after which the connection closes.
    case close([UInt8])
}

/// What a connection's subscription streams, and how the connection stops it (on `UNSUBSCRIBE`, disconnect or
/// shutdown).
struct SubscriptionControl: Sendable {
    /// What is streamed.
    enum Source: Sendable {
        /// `SUBSCRIBE`: the log from `from`, the events `filter` passes.
        case log(from: UInt64, filter: EventFilter)
        /// `CONSUME`: a durable consumer's events after its acknowledged position.
        case consumer(ConsumerSession)
    }

    let id: UInt64
    let notifier: PositionNotifier
    let source: Source

    /// The consumer whose turn this is, for `ACK`; nil for a plain subscription.
    var consumer: ConsumerSession? {
        if case .consumer(let session) = source { session } else { nil }
    }

    func stop() {
        notifier.stop(id)
        consumer?.stop()
    }
}
