import LedgerProtocol
import NIOCore
import Synchronization

/// The open connections and how many each uid holds, for counting, limits and closing the stragglers at the end of a
/// graceful shutdown.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: (channel: any Channel, uid: UInt32, role: Role?)] = [:]
        var byUID: [UInt32: Int] = [:]
    }

    private let state = Mutex(State())

    /// Adds a connection from `uid` unless `limits` refuse it; returns the refusal, or nil when it was added.
    func add(_ channel: any Channel, uid: UInt32, role: Role?, limits: ConnectionLimits) -> ConnectionLimits.Refusal? {
        state.withLock { state in
            let held = state.byUID[uid, default: 0]
            if let refusal = limits.refusal(open: state.channels.count, openByUID: held, uid: uid, role: role) {
                return refusal
            }
            state.channels[ObjectIdentifier(channel)] = (channel, uid, role)
            state.byUID[uid] = held + 1
            return nil
        }
    }

    func remove(_ channel: any Channel) {
        state.withLock { state in
            guard let (_, uid, _) = state.channels.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            let held = state.byUID[uid, default: 1] - 1
            state.byUID[uid] = held > 0 ? held : nil
        }
    }

    var count: Int { state.withLock { $0.channels.count } }

    /// Open connections by role (nil: peers without one).
    var countsByRole: [Role?: Int] {
        state.withLock { state in
            var counts = [Role?: Int]()
            for entry in state.channels.values { counts[entry.role, default: 0] += 1 }
            return counts
        }
    }

    private var channels: [any Channel] { state.withLock { $0.channels.values.map(\.channel) } }

    /// Tells every connection that the daemon is stopping: each answers what it has queued, then `SHUTTING_DOWN`.
    func beginShutdown() {
        for channel in channels {
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
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}
