import EventLog
import LedgerWire
import Synchronization

@testable import LedgerServer

/// An appender that keeps every append until the test answers it, in any order, as a writer thread would.
final class HeldAppends: Appender {
    private let held = Mutex<[GroupCommitWriter.Completion]>([])

    func submit(_ request: AppendRequest, complete: @escaping GroupCommitWriter.Completion) {
        held.withLock { $0.append(complete) }
    }

    /// How many appends were submitted.
    var count: Int { held.withLock { $0.count } }

    /// Answers the append submitted `index`-th (from 0) as committed at `position`.
    func commit(_ index: Int, at position: UInt64) {
        let complete = held.withLock { $0[index] }
        complete(.success(AppendResult(first: position, last: position, version: 1, duplicate: false)))
    }

    /// Answers the append submitted `index`-th with `error`.
    func refuse(_ index: Int, _ error: EventLogError) {
        let complete = held.withLock { $0[index] }
        complete(.failure(error))
    }
}
