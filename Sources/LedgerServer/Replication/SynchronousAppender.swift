import EventLog
import Logging
import NIOCore
import NIOPosix

/// Appends acknowledged only once `replication.syncFollowers` followers have stored them durably (semi-synchronous
/// replication): the writer commits an append as always, then its answer waits until that many followers have told
/// this daemon (by `REPLICATE`) that they hold its last position. If they have not within
/// `replication.syncTimeoutMs`, the append is acknowledged anyway with a warning and `ledger_replication_sync_timeouts_total`
/// counts it (`onSyncTimeout: degrade`, the default), and so are the appends after it, at once, until enough
/// followers hold the head again (`FollowerRegistry`); or its answer keeps waiting for them (`block`).
///
/// A refused append is answered at once: it wrote nothing to wait for. One still waiting when this daemon is fenced
/// (`FENCE`) is answered `READ_ONLY`: not acknowledged, though stored here (a retry on the new primary, with the same
/// event ids, stores it there once).
struct SynchronousAppender: Appender {
    let writer: GroupCommitWriter
    let followers: FollowerRegistry
    let settings: ServerConfiguration.SyncReplication
    let metrics: LedgerMetrics
    let warnings: BurstLog

    func submit(_ request: AppendRequest, complete: @escaping GroupCommitWriter.Completion) {
        writer.submit(request) { [self] result in
            guard case .success(let appended) = result else { return complete(result) }
            let timeout = settings.blocks ? nil : settings.timeout
            followers.whenStored(appended.last, byAtLeast: settings.followers, within: timeout) { outcome in
                switch outcome {
                case .stored:
                    complete(result)
                case .timedOut:
                    metrics.syncTimedOut()
                    warnings.warning(
                        "append acknowledged without its followers",
                        "append acknowledged before \(settings.followers) follower(s) stored it",
                        metadata: ["position": "\(appended.last)", "timeout": "\(settings.timeout)"]
                    )
                    complete(result)
                case .degraded:
                    metrics.syncTimedOut()
                    complete(result)
                case .refused(let error):
                    complete(.failure(error))
                }
            }
        }
    }
}
