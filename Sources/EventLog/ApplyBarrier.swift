import Foundation
import Synchronization

/// Keeps readers from missing events answered before LMDB committed them.
///
/// The writer may answer a transaction's callers as soon as its journal record is durable and before LMDB commits it
/// (`EventLog.commit`): it marks the head `acknowledged` first and `applied` once LMDB has committed. A reader waits,
/// before its snapshot, until LMDB has applied everything acknowledged when it came: a read issued after an answer sees
/// the answered events; one issued before it never waits for later ones. At most one commit's tail is ever waited for.
final class ApplyBarrier: Sendable {
    private let acknowledged: Atomic<UInt64>
    private let applied: Atomic<UInt64>
    private let condition = NSCondition()

    /// A barrier with everything through `head` applied.
    init(head: UInt64) {
        acknowledged = Atomic(head)
        applied = Atomic(head)
    }

    /// The writer answers events through `position`, which LMDB has not committed yet.
    func acknowledge(through position: UInt64) {
        precondition(position >= acknowledged.load(ordering: .sequentiallyConsistent), "the head never goes back")
        acknowledged.store(position, ordering: .sequentiallyConsistent)
    }

    /// LMDB has committed events through `position`; readers waiting for them go on.
    func apply(through position: UInt64) {
        condition.lock()
        applied.store(position, ordering: .sequentiallyConsistent)
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once LMDB holds every event acknowledged so far (at once, without a lock, when it already does).
    func wait() {
        let target = acknowledged.load(ordering: .sequentiallyConsistent)
        guard applied.load(ordering: .sequentiallyConsistent) < target else { return }
        condition.lock()
        while applied.load(ordering: .sequentiallyConsistent) < target { condition.wait() }
        condition.unlock()
    }
}
