import Dispatch
import Synchronization

/// A value being computed on a global queue, for the caller to collect later.
final class Prefetch<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts computing `work()` on a global queue.
    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            // Computed straight into place (`take()` waits for `done` before locking): a copy still held here when
            // the caller takes the value would make the caller's first change to it (a page's events, folded in
            // place) copy it all.
            value.withLock { $0 = work() }
            done.signal()
        }
    }

    /// Waits for the value and takes it; nil when it was taken before.
    func take() -> Value? {
        done.wait()
        defer { done.signal() }
        return value.withLock { $0.take() }
    }
}
