/// How a subscription reconnects after its connection drops.
///
/// Attempts are spaced from `initialDelay`, doubling up to `maximumDelay`; after `giveUpAfter` without getting
/// back in, the subscription throws the last error (nil: it keeps trying until its task is cancelled).
public struct ReconnectPolicy: Sendable, Hashable {
    /// The wait before the first attempt.
    public var initialDelay: Duration
    /// The longest wait between attempts.
    public var maximumDelay: Duration
    /// How long to keep trying after a drop; nil for ever.
    public var giveUpAfter: Duration?

    /// A policy with the given delays and limit.
    public init(
        initialDelay: Duration = .milliseconds(50),
        maximumDelay: Duration = .seconds(2),
        giveUpAfter: Duration? = .seconds(60)
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
    }

    /// 50 ms doubling to 2 s between attempts, giving up after 60 s.
    public static let `default` = ReconnectPolicy()

    /// The wait before attempt `attempt` (1, 2, ...).
    func delay(before attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(attempt, 1) {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }
}
