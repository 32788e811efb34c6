import EventLog
import LedgerWire
import NIOCore
import Synchronization

/// Append results on their way from the writer thread to the connections of one event loop, delivered in bulk.
///
/// The first result posted to an empty mailbox schedules one task on the loop; that task takes every result posted by
/// the time it runs, fills each connection's reply slots, and only then writes out each connection's ready replies
/// with one flush. A commit answering hundreds of pipelined appends so costs the loop a task or two and one write per
/// connection, instead of a task and a write per append, and the writer one lock per answer instead of a task.
final class AnswerMailbox: Sendable {
    /// The result of one append, for the reply slot `number` of a connection.
    struct Answer: Sendable {
        let connection: NIOLoopBound<(ConnectionHandler, ChannelHandlerContext)>
        let number: UInt64
        let result: Result<AppendResult, EventLogError>
        /// The request answered, kept so that the loop that allocated it also frees it: glibc's `free` of another
        /// thread's memory costs more, and the writer thread, which would otherwise pay it, is the bottleneck.
        let request: AppendRequest
    }

    private let eventLoop: any EventLoop
    private let answers = Mutex<[Answer]>([])

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `answer` for delivery on the loop; callable from any thread.
    func post(_ answer: Answer) {
        let first = answers.withLock { answers in
            answers.append(answer)
            return answers.count == 1
        }
        if first { eventLoop.execute { self.deliver() } }
    }

    /// Fills the slots of every answer posted so far, then writes each connection's ready replies once.
    private func deliver() {
        let taken = answers.withLock { answers in
            var taken = [Answer]()
            swap(&taken, &answers)
            return taken
        }
        var seen = Set<ObjectIdentifier>()
        var filled = [(ConnectionHandler, ChannelHandlerContext)]()
        for answer in taken {
            let (handler, context) = answer.connection.value
            handler.fill(answer.number, answer.result)
            if seen.insert(ObjectIdentifier(handler)).inserted { filled.append((handler, context)) }
        }
        for (handler, context) in filled { handler.pump(context: context) }
    }
}

/// One `AnswerMailbox` per event loop, made when the loop's first connection asks.
final class AnswerMailboxes: Sendable {
    private let mailboxes = Mutex<[ObjectIdentifier: AnswerMailbox]>([:])

    /// The mailbox of `eventLoop`.
    func mailbox(for eventLoop: any EventLoop) -> AnswerMailbox {
        mailboxes.withLock { mailboxes in
            if let mailbox = mailboxes[ObjectIdentifier(eventLoop)] { return mailbox }
            let mailbox = AnswerMailbox(eventLoop: eventLoop)
            mailboxes[ObjectIdentifier(eventLoop)] = mailbox
            return mailbox
        }
    }
}
