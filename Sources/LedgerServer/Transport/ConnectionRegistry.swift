import LedgerProtocol
import NIOCore
import Synchronization

/// The open connections and how many each owner (a uid, or a TLS client's certificate: `Peer.owner`) holds, for
/// counting, limits and closing the stragglers at the end of a graceful shutdown.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: (channel: any Channel, owner: String, role: Role?)] = [:]
        var byOwner: [String: Int] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())
    /// Opened when the last connection closes after `beginShutdown()`.
    private let drained = Latch()

    /// Adds a connection of `owner` unless `limits` refuse it; returns the refusal, or nil when it was added.
    func add(_ channel: any Channel, owner: String, role: Role?, limits: ConnectionLimits) -> ConnectionLimits.Refusal?
    {
        state.withLock { state in
            precondition(state.channels[ObjectIdentifier(channel)] == nil, "a connection is added once")
            let held = state.byOwner[owner, default: 0]
            if let refusal = limits.refusal(open: state.channels.count, openByOwner: held, owner: owner, role: role) {
                return refusal
            }
            state.channels[ObjectIdentifier(channel)] = (channel, owner, role)
            state.byOwner[owner] = held + 1
            return nil
        }
    }

    func remove(_ channel: any Channel) {
        let empty = state.withLock { state in
            if let (_, owner, _) = state.channels.removeValue(forKey: ObjectIdentifier(channel)) {
                let held = state.byOwner[owner, default: 1] - 1
                state.byOwner[owner] = held > 0 ? held : nil
            }
            return state.shuttingDown && state.channels.isEmpty
        }
        if empty { drained.open() }
    }

    var count: Int { state.withLock { $0.channels.count } }

    /// Whether `beginShutdown()` was called.
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

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
