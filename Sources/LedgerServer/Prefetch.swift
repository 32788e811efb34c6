import Dispatch
import Synchronization

/// A value being computed on a global queue, for the caller to collect later.
final class Prefetch<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts computing `work()` on a global queue.
    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let result = work()
            value.withLock { $0 = result }
            done.signal()
        }
    }

    /// Waits for the value and takes it; nil when it was taken before.
    func take() -> Value? {
        done.wait()
        defer { done.signal() }
        return value.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
