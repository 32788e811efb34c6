import Synchronization

/// Whether the daemon serves: set once the socket is bound, cleared when shutdown begins. The socket server sets it;
/// health checks read it.
final class ServingFlag: Sendable {
    private let serving = Atomic(false)

    var isServing: Bool { serving.load(ordering: .relaxed) }

    func set(_ value: Bool) {
        serving.store(value, ordering: .relaxed)
    }
}
