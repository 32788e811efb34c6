import CThreadName
import Foundation

/// The daemon's own OS threads, started under names that `top -H`, `ps -L` and `perf` show (on Linux, Foundation's
/// `Thread.name` set before `start()` does not reach the OS thread).
public enum NamedThread {
    /// Starts a thread that names itself `name` (at most 15 bytes, the kernel's limit) and runs `body`.
    public static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        Thread {
            _ = pthread_setname_np(pthread_self(), name)
            body()
        }.start()
    }
}
