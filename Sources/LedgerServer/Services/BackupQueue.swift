/// Runs the daemon's backups one at a time, waiting in line without holding a thread: a backup blocks a thread of the
/// blocking pool for as long as it copies, and a second one waiting there for the backup directory's lock would keep
/// `VERIFY` and proofs from the pool meanwhile.
actor BackupQueue {
    private var running = false
    private var waiting = [CheckedContinuation<Void, Never>]()

    /// Runs `body` once every backup queued before it has finished.
    func run<Value: Sendable>(_ body: @Sendable () async throws -> Value) async rethrows -> Value {
        if running {
            await withCheckedContinuation { waiting.append($0) }
        }
        running = true
        defer {
            if waiting.isEmpty { running = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
