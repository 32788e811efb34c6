import CMalloc

/// Hands the heap memory freed by a large piece of work (a catch-up, a first checkpoint, a rebuild) back to the
/// kernel. glibc keeps freed memory in the arena of the thread that allocated it, and replay allocates on several
/// threads, so without this the daemon's resident size stays near its peak long after the work is done.
enum HeapTrim {
    static func now() {
        _ = malloc_trim(0)
    }

    /// When to trim: once the work that freed much has settled, when the caller is idle, at most every `interval`
    /// (a trim walks the heap).
    struct Schedule {
        let interval: Duration
        private var due: ContinuousClock.Instant?
        private var last: ContinuousClock.Instant?

        init(interval: Duration) {
            self.interval = interval
        }

        /// Work that freed much memory has ended, or will have after `settling` (a checkpoint's records are freed by
        /// the writer once it has committed them).
        mutating func freed(settling: Duration = .zero) {
            let settled = ContinuousClock.now + settling
            due = max(due ?? settled, settled)
        }

        /// Trims if a trim is due; returns whether it did.
        @discardableResult
        mutating func trimIfDue() -> Bool {
            guard claimIfDue() else { return false }
            HeapTrim.now()
            return true
        }

        /// Whether a trim is due; if so it is recorded as done, and the caller trims (outside a lock, say).
        mutating func claimIfDue() -> Bool {
            let now = ContinuousClock.now
            guard let due, now >= due, last.map({ now - $0 >= interval }) ?? true else { return false }
            (self.due, last) = (nil, now)
            return true
        }
    }
}
