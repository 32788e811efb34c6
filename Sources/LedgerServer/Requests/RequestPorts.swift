import EventLog
import Logging

/// The parts of the daemon that requests use, and nothing else: no socket, no connection registry, no writer (appends
/// reach it through the transport's `Appender`).
struct RequestPorts: Sendable {
    let configuration: ServerConfiguration
    /// Reads, verification, proofs and backups.
    let log: EventLog
    /// `QUERY` and `REBUILD`.
    let projections: ProjectionHost
    /// `CHECKPOINT`'s signed notes.
    let checkpoints: CheckpointHost
    /// Wakes subscriptions when the head moves.
    let notifier: PositionNotifier
    /// Durable consumers' positions and turns.
    let consumers: ConsumerRegistry
    /// Who takes appends, the followers that `REPLICATE`, `PROMOTE` and `FENCE`.
    let replication: Replication
    /// One `BACKUP` at a time.
    let backups: BackupQueue
    /// `STATUS` and `METRICS`.
    let report: DaemonReport
    let metrics: LedgerMetrics
    let logger: Logger
    /// Dropped subscribers, logged once per burst.
    let refusals: BurstLog
}
