import Logging
import Synchronization

/// Logs a warning that can come in floods (refused connections, failed accepts) once per burst: the first of each
/// kind at once, then nothing of that kind for `quiet`; the next one after that logs again and says how many went
/// unlogged in between. A flood of refusals thus costs one log line per `quiet`, not one per connection.
final class BurstLog: Sendable {
    private struct Burst {
        var logged: ContinuousClock.Instant
        var unlogged = 0
    }

    private let logger: Logger
    private let quiet: Duration
    private let bursts = Mutex<[String: Burst]>([:])

    init(logger: Logger, quiet: Duration = .seconds(10)) {
        self.logger = logger
        self.quiet = quiet
    }

    /// Logs `message` at warning level unless a warning of `kind` was logged less than `quiet` ago.
    func warning(_ kind: String, _ message: Logger.Message, metadata: Logger.Metadata = [:]) {
        let now = ContinuousClock.now
        let unlogged: Int? = bursts.withLock { bursts in
            if let burst = bursts[kind], now - burst.logged < quiet {
                bursts[kind]?.unlogged += 1
                return nil
            }
            defer { bursts[kind] = Burst(logged: now) }
            return bursts[kind]?.unlogged ?? 0
        }
        guard let unlogged else { return }
        var metadata = metadata
        if unlogged > 0 { metadata["unloggedSincePrevious"] = .stringConvertible(unlogged) }
        logger.warning(message, metadata: metadata)
    }
}
