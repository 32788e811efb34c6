/// How long the callers of one transaction take to come back with their next requests, timed from when the writer
/// answered them until as many requests as it answered have arrived.
struct Comeback: Sendable {
    private var answeredAt: ContinuousClock.Instant?
    /// Requests still to arrive before the callers answered at `answeredAt` count as back.
    private var awaited = 0
    private var returnedAt: ContinuousClock.Instant?

    /// Counts one request arriving (`now` is read only for the last one awaited).
    mutating func arrived(at now: @autoclosure () -> ContinuousClock.Instant) {
        guard awaited > 0 else { return }
        awaited -= 1
        if awaited == 0 { returnedAt = now() }
    }

    /// Starts timing `count` callers answered `now`, and returns how long those answered before took to come back
    /// (how long has passed since, if they have not all come back); nil the first time.
    mutating func answering(_ count: Int, at now: ContinuousClock.Instant) -> Duration? {
        defer {
            answeredAt = now
            awaited = count
            returnedAt = nil
        }
        return answeredAt.map { (returnedAt ?? now) - $0 }
    }
}
