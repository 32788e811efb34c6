import LedgerProtocol
import NIOCore
import Synchronization

/// The open connections and how many each uid holds, for counting, limits and closing the stragglers at the end of a
/// graceful shutdown.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: (channel: any Channel, uid: UInt32, role: Role?)] = [:]
        var byUID: [UInt32: Int] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())
    /// Opened when the last connection closes after `beginShutdown()`.
    private let drained = Latch()

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
        let empty = state.withLock { state in
            if let (_, uid, _) = state.channels.removeValue(forKey: ObjectIdentifier(channel)) {
                let held = state.byUID[uid, default: 1] - 1
                state.byUID[uid] = held > 0 ? held : nil
            }
            return state.shuttingDown && state.channels.isEmpty
        }
        if empty { drained.open() }
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
        let empty = state.withLock { state in
            state.shuttingDown = true
            return state.channels.isEmpty
        }
        if empty { drained.open() }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ConnectionHandler.ShutdownEvent())
        }
    }

    /// After `beginShutdown()`, waits until no connection is left or `seconds` pass; then closes whatever is still
    /// open.
    func drain(within seconds: Double) async {
        _ = await drained.wait(timeout: .milliseconds(Int(seconds * 1000)))
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}
