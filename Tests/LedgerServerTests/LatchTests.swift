import Synchronization
import Testing

@testable import LedgerServer

@Suite("Latch and PositionNotifier")
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

    @Test("a timed wait is true when the latch opens in time, false when the time runs out or its task is cancelled")
    func timedWaits() async {
        let latch = Latch()
        let started = ContinuousClock.now
        #expect(await latch.wait(timeout: .milliseconds(50)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        let cancelled = Task { await latch.wait(timeout: .seconds(600)) }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        let waiting = Task { await latch.wait(timeout: .seconds(600)) }
        try? await Task.sleep(for: .milliseconds(20))
        latch.open()
        #expect(await waiting.value == true)
        #expect(await latch.wait(timeout: .zero) == true)
    }

    @Test("a wait for a position returns when it is published, or false at the timeout; position 0 is always reached")
    func positions() async {
        let notifier = PositionNotifier(3)
        #expect(await notifier.wait(until: 3, timeout: .zero))
        #expect(await notifier.wait(until: 0, timeout: .zero))
        #expect(await notifier.wait(until: 4, timeout: .milliseconds(30)) == false)
        let waiting = Task { await notifier.wait(until: 5, timeout: .seconds(600)) }
        try? await Task.sleep(for: .milliseconds(20))
        notifier.publish(4)
        try? await Task.sleep(for: .milliseconds(20))
        notifier.publish(5)
        // Reached, not timed out (its limit is long enough for a starved test process).
        #expect(await waiting.value)
    }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
