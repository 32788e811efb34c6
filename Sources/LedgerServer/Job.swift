import LedgerProtocol

/// One request's place in a connection's reply order. The reader creates jobs in request order; the reply task
/// runs them in that order, so replies never overtake each other.
enum Job: Sendable {
    /// A reply already known (errors, `PONG`).
    case reply([UInt8])
    /// An append already queued at the writer; the reply waits for its durable result.
    case append(AppendTicket)
    /// A command run when its turn comes (reads, status, verify).
    case command(Command)
    /// A subscription, streaming until stopped.
    case subscribe(from: UInt64, types: Set<String>, control: SubscriptionControl)
    /// A last reply, after which the connection closes.
    case close([UInt8])
}

/// Lets the reader stop the subscription the reply task is streaming (on `UNSUBSCRIBE` or disconnect).
struct SubscriptionControl: Sendable {
    let id: UInt64
    let notifier: CommitNotifier

    func stop() {
        notifier.stop(id)
    }
}
