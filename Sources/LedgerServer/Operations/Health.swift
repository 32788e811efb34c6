import Dispatch
import LedgerJSON
import NIOCore
import NIOPosix
import Synchronization

/// The daemon's health, as `/healthz` reports it and the systemd watchdog judges it: whether it serves, whether the
/// writer thread and every event loop answer within `probeTimeout`, and how far the projections lag.
struct Health: Sendable, Equatable {
    /// The socket is bound and the daemon has not begun to shut down.
    var serving: Bool
    /// The writer thread answered a ping (`GroupCommitWriter.ping`): it is not stuck in a transaction.
    var writerAlive: Bool
    /// Every loop of the event-loop group ran a no-op task.
    var eventLoopsAlive: Bool
    /// How far the projections are behind the head, in events.
    var projectionLagEvents: UInt64
    /// Seconds since the projections last held every committed event (0 when caught up).
    var projectionLagSeconds: Double
    /// Whether `/healthz` answers 200: serving, writer and event loops alive, and the projection lag within
    /// `metrics.healthMaxProjectionLagSeconds`.
    var healthy: Bool

    /// How long the writer and each event loop have to answer.
    static let probeTimeout = Duration.seconds(2)

    /// Whether the watchdog may tell systemd the daemon is alive: the writer thread and the event loops answer.
    var alive: Bool { writerAlive && eventLoopsAlive }

    /// Checks the daemon now through `report`; takes at most about `probeTimeout`.
    static func check(_ report: DaemonReport) async -> Health {
        async let writerAlive = answered { answer in report.writer.ping(answer) }
        async let eventLoopsAlive = Self.eventLoopsAlive()
        let head = report.log.head.position
        let projected = report.projections.position
        let lagSeconds = report.projections.lagSeconds
        var health = Health(
            serving: report.serving.isServing,
            writerAlive: await writerAlive,
            eventLoopsAlive: await eventLoopsAlive,
            projectionLagEvents: head - min(projected, head),
            projectionLagSeconds: lagSeconds,
            healthy: false
        )
        health.healthy =
            health.serving && health.alive && lagSeconds <= report.configuration.healthMaxProjectionLagSeconds
        return health
    }

    /// `/healthz`'s body: one JSON object with every field.
    var json: String {
        let seconds = (projectionLagSeconds * 1000).rounded() / 1000
        let value: JSONValue = .object([
            "serving": .bool(serving), "writerAlive": .bool(writerAlive), "eventLoopsAlive": .bool(eventLoopsAlive),
            "projectionLagEvents": .number(.init(projectionLagEvents)),
            "projectionLagSeconds": JSONNumber(literal: "\(seconds)").map(JSONValue.number) ?? .null,
            "healthy": .bool(healthy),
        ])
        return value.canonicalString
    }

    /// systemd's `STATUS=` text: `serving, head N, projection lag M events`, and what is wrong when something is.
    func status(head: UInt64) -> String {
        var text = "\(serving ? "serving" : "not serving"), head \(head), projection lag \(projectionLagEvents) events"
        if !writerAlive { text += "; the writer thread is not answering" }
        if !eventLoopsAlive { text += "; an event loop is not answering" }
        return text
    }

    /// Whether every loop of the event-loop group runs a no-op within `probeTimeout`.
    private static func eventLoopsAlive() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                group.addTask {
                    await answered { answer in
                        loop.execute { answer() }
                        return true
                    }
                }
            }
            return await group.allSatisfy { $0 }
        }
    }

    /// Starts a probe with `start`, which is handed the closure to call when the probed thread answers and returns
    /// whether the probe was taken; true once it is answered, false if it was not taken or not answered in time.
    /// The timeout runs on a Dispatch queue, so it fires even when the event loops are stuck.
    private static func answered(_ start: (@escaping @Sendable () -> Void) -> Bool) async -> Bool {
        let once = OnceAnswer()
        return await withCheckedContinuation { continuation in
            once.wait(continuation)
            guard start({ once.resume(true) }) else { return once.resume(false) }
            let nanoseconds = Int(probeTimeout / .nanoseconds(1))
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { once.resume(false) }
        }
    }
}

/// A continuation resumed by whichever comes first: the answer or the timeout.
private final class OnceAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func wait(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(_ answered: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: answered)
    }
}
