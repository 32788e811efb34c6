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
    /// A subscription, streaming until stopped.
    case subscribe(from: UInt64, types: Set<String>, control: SubscriptionControl)
    /// A last reply, after which the connection closes.
    case close([UInt8])
}

/// Lets the connection stop the subscription its task is streaming (on `UNSUBSCRIBE`, disconnect or shutdown).
struct SubscriptionControl: Sendable {
    let id: UInt64
    let notifier: PositionNotifier

    func stop() {
        notifier.stop(id)
    }
}
