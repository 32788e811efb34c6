import NIOCore
import Synchronization

/// The open connections, for counting, limits and closing the stragglers at the end of a graceful shutdown.
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Adds a connection; false when `limit` connections are already open.
    func add(_ channel: any Channel, limit: Int) -> Bool {
        channels.withLock { channels in
            guard channels.count < limit else { return false }
            channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func remove(_ channel: any Channel) {
        _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { channels.withLock { $0.count } }

    /// Tells every connection that the daemon is stopping: each answers what it has queued, then `SHUTTING_DOWN`.
    func beginShutdown() {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ConnectionHandler.ShutdownEvent())
        }
    }

    /// Waits (polling) until no connection is left, `seconds` pass or the task is cancelled; then closes whatever is
    /// still open.
    func drain(within seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while count > 0, ContinuousClock.now < deadline {
            // A cancelled task's sleep throws at once: polling on would spin a core until the deadline.
            do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
        }
        for channel in channels.withLock({ Array($0.values) }) {
            channel.close(promise: nil)
        }
    }
}
