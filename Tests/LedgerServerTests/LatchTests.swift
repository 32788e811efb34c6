import Synchronization
import Testing

@testable import LedgerServer

@Suite("Latch")
struct LatchTests {
    @Test("waiters, cancelled or not, are resumed only when the latch opens; later waits return at once")
    func opens() async {
        let latch = Latch()
        let resumed = Counter()
        let waiters = (0..<3).map { _ in
            Task {
                await latch.wait()
                resumed.value.add(1, ordering: .relaxed)
            }
        }
        // A cancelled task's `Task.sleep` throws at once; its wait must not return before the latch opens.
        waiters[0].cancel()
        try? await Task.sleep(for: .milliseconds(50))
        #expect(resumed.value.load(ordering: .relaxed) == 0)

        latch.open()
        for waiter in waiters { await waiter.value }
        #expect(resumed.value.load(ordering: .relaxed) == 3)
        await latch.wait()
    }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
