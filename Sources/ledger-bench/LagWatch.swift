import Foundation
import LedgerTestSupport
import Synchronization

/// Asks the daemon for `STATUS` ten times a second on a connection of its own, and keeps the largest projection lag
/// seen since it was last taken.
final class LagWatch: Sendable {
    private struct State {
        var largest: Int64 = 0
        var stopped = false
        var failure: String?
    }

    private let state = Mutex(State())
    private let finished = DispatchGroup()

    /// Starts watching the daemon at `socket`.
    init(socket: String) {
        finished.enter()
        Thread.detachNewThread { [self] in
            do {
                let client = try LineClient(path: socket)
                while !state.withLock({ $0.stopped }) {
                    let lag = try DaemonStatus(client, timeout: 3600).lag
                    state.withLock { $0.largest = max($0.largest, lag) }
                    usleep(100_000)
                }
            } catch {
                state.withLock { $0.failure = "\(error)" }
            }
            finished.leave()
        }
    }

    /// The largest lag seen since the last call (or the start), in events; the next call starts from 0.
    /// - Throws: `LineClient.Failure` when the watch could not ask.
    func take() throws -> Int64 {
        let (largest, failure) = state.withLock { state in
            defer { state.largest = 0 }
            return (state.largest, state.failure)
        }
        if let failure { throw LineClient.Failure(description: "STATUS: \(failure)") }
        return largest
    }

    /// Stops watching (after the `STATUS` in flight).
    func stop() {
        state.withLock { $0.stopped = true }
        finished.wait()
    }
}
