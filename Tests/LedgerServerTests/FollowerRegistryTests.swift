import EventLog
import Synchronization
import Testing

@testable import LedgerServer

@Suite("The follower registry: synchronous waits, degraded spells and fencing")
struct FollowerRegistryTests {
    @Test("a timed-out wait degrades the registry until the followers hold its position, not the head of the moment")
    func degradedUntilCaughtUp() async throws {
        let registry = FollowerRegistry(synchronous: 1)
        registry.stored(10, by: "f", head: 10)
        #expect(await outcome(registry, 11, within: .milliseconds(20)) == "timedOut")
        #expect(registry.isDegraded)
        #expect(await outcome(registry, 12, within: .seconds(10)) == "degraded")
        // Steady appends: the follower never holds the head as it is, but catches up with the position that timed out.
        registry.stored(10, by: "f", head: 40)
        #expect(registry.isDegraded)
        registry.stored(11, by: "f", head: 60)
        #expect(!registry.isDegraded)
        #expect(await outcome(registry, 11, within: .seconds(10)) == "stored")
    }

    @Test("once fenced, waiting and later appends are refused, never acknowledged; a fence withdrawn is forgotten")
    func refused() async throws {
        let registry = FollowerRegistry(synchronous: 1)
        let waiting = Task { await outcome(registry, 5, within: nil) }
        try await Task.sleep(for: .milliseconds(20))
        registry.refuse(with: .readOnly(epoch: 2, primary: "p"))
        #expect(await waiting.value == "refused")
        #expect(await outcome(registry, 6, within: .milliseconds(10)) == "refused")
        registry.withdrawRefusal()
        #expect(await outcome(registry, 6, within: .milliseconds(10)) == "timedOut")
    }

    private func outcome(_ registry: FollowerRegistry, _ position: UInt64, within timeout: Duration?) async -> String {
        await withCheckedContinuation { continuation in
            registry.whenStored(position, byAtLeast: 1, within: timeout) { outcome in
                switch outcome {
                case .stored: continuation.resume(returning: "stored")
                case .timedOut: continuation.resume(returning: "timedOut")
                case .degraded: continuation.resume(returning: "degraded")
                case .refused: continuation.resume(returning: "refused")
                }
            }
        }
    }
}
