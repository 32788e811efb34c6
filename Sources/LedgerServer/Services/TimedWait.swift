/// Runs `wait`, calling `giveUp` if it has not returned within `timeout` (which must make it return soon after);
/// once `wait` has returned, `giveUp` is not called any more. The timed waits of `Latch` and `PositionNotifier`.
func waitOrGiveUp<Result>(
    after timeout: Duration,
    waiting wait: () async -> Result,
    giveUp: @escaping @Sendable () -> Void
) async -> Result {
    let timer = Task {
        // Cancelled: the wait is over already.
        guard (try? await Task.sleep(for: timeout)) != nil else { return }
        giveUp()
    }
    let result = await wait()
    timer.cancel()
    await timer.value
    return result
}
