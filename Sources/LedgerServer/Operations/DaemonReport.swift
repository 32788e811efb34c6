import EventLog
import LedgerJSON

/// What the daemon reports about itself as a whole: `STATUS`, the Prometheus metrics (`METRICS`, HTTP `/metrics`,
/// the metrics file) and its health (`/healthz`, the systemd watchdog). It reads the parts; it changes nothing.
public struct DaemonReport: Sendable {
    let configuration: ServerConfiguration
    let log: EventLog
    let writer: GroupCommitWriter
    let projections: ProjectionHost
    let checkpoints: CheckpointHost
    let registry: ConnectionRegistry
    let metrics: LedgerMetrics
    let serving: ServingFlag
    /// This daemon's role in replication, its followers or the primary it follows.
    let replication: Replication
    /// Durable consumers' positions and holders.
    let consumers: ConsumerRegistry
    let startedAt: ContinuousClock.Instant

    /// Checks the daemon's health now.
    func health() async -> Health {
        await Health.check(self)
    }

    /// The head, as the watchdog's status line gives it.
    var head: UInt64 { log.head.position }

    /// The Prometheus text of every metric, with the gauges sampled now and the health checked.
    /// - Parameter process: whether to include the `process_*` families (the metrics file leaves them out, since
    ///   node_exporter has its own).
    public func metricsExposition(process: Bool) async -> String {
        let health = await health()
        let signed = checkpoints.lastSigned
        return metrics.exposition(
            LedgerMetrics.Sample(
                head: log.head.position,
                projected: projections.position,
                projectionLagSeconds: health.projectionLagSeconds,
                connections: registry.countsByRole,
                writerQueue: writer.queuedRequests,
                map: log.environment.info(),
                maxMapSize: configuration.storage.maxMapSize,
                mapGrowths: log.environment.mapGrowthCount,
                signedCheckpointSize: signed.size,
                signedCheckpointTime: signed.time,
                healthy: health.healthy,
                process: .now(),
                replicationLag: replication.followerLag,
                replicationRefused: replication.follower?.isRefused ?? false,
                replicationEpoch: replication.log.epoch?.number ?? ReplicationEpoch.first,
                replicationLeads: replication.takesAppends,
                syncDegraded: replication.followers.isDegraded,
                consumers: consumers.summaries
            ),
            process: process
        )
    }

    /// The writer's counts and its durable point.
    private func writerStatus(_ written: GroupCommitWriter.Totals) -> [String: JSONValue] {
        var status: [String: JSONValue] = [
            "commits": .number(.init(written.commits)), "requests": .number(.init(written.requests)),
            "events": .number(.init(written.events)), "earlyAnswers": .number(.init(written.earlyAnswers)),
            "durableThrough": .number(.init(log.durableThrough)),
        ]
        if let failure = log.durablePointFailure { status["durablePointFailure"] = .string(failure) }
        return status
    }

    /// `STATUS`'s answer: the head and root, connections, the map, readers, uptime, the writer's counts and the
    /// projections' position, lag, checkpoint and read models, the replication (this daemon's role; a follower's
    /// primary, state and lag), and the durable consumers (acknowledged position, lag, holder and standbys).
    var status: JSONValue {
        let head = log.head
        let info = log.environment.info()
        let uptime = ContinuousClock.now - startedAt
        let written = writer.statistics
        let projected = projections.position
        let checkpoint = (try? log.checkpointPosition(named: ProjectionHost.name)) ?? 0
        return [
            "server": "ledgerd", "version": .string(LedgerDaemon.version),
            "head": .number(.init(head.position)), "root": .string(head.root.description),
            "connections": .number(.init(registry.count)),
            "map": [
                "size": .number(.init(info.mapSize)), "used": .number(.init(info.usedBytes)),
                "maxSize": .number(.init(configuration.storage.maxMapSize)),
                "growths": .number(.init(log.environment.mapGrowthCount)),
            ],
            "readers": ["used": .number(.init(info.readersUsed)), "max": .number(.init(info.maxReaders))],
            "uptimeSeconds": .number(.init(uptime.components.seconds)),
            "writer": .object(writerStatus(written)),
            "projections": [
                [
                    "name": .string(ProjectionHost.name),
                    "position": .number(.init(projected)),
                    "lag": .number(.init(head.position - min(projected, head.position))),
                    "checkpoint": .number(.init(checkpoint)),
                    "readModels": projections.readModelsStatus,
                ]
            ],
            "replication": replication.status(head: head.position),
            "consumers": .array(
                consumers.summaries.map { consumer in
                    var entry: [String: JSONValue] = [
                        "name": .string(consumer.name), "acked": .number(.init(consumer.acked)),
                        "lag": .number(.init(head.position - min(consumer.acked, head.position))),
                        "active": .bool(consumer.holder != nil), "standby": .number(.init(consumer.standby)),
                    ]
                    if let holder = consumer.holder { entry["holder"] = .string(holder) }
                    return .object(entry)
                }
            ),
        ]
    }
}
