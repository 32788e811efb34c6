import EventLog
import ServiceLifecycle

/// A part with a thread of its own that stores what it makes through the writer: the projection fold (checkpoints of
/// the projections) and the checkpoint signer (signed notes).
protocol WriterSideThread: Sendable {
    /// Starts the thread; what it stores goes through `writer`.
    func start(saving writer: GroupCommitWriter)
    /// Finishes the thread's work (the fold's last checkpoint, the signer's last note) and stops it.
    func stop() async
}

extension ProjectionHost: WriterSideThread {}
extension CheckpointHost: WriterSideThread {}

/// A `WriterSideThread` as a service: started with the writer it stores through; on graceful shutdown, which comes
/// after the socket server's and before the writer's, it finishes its work and stops.
struct WriterSideService: Service, CustomStringConvertible {
    let part: any WriterSideThread
    let writer: GroupCommitWriter
    let description: String

    func run() async {
        part.start(saving: writer)
        try? await gracefulShutdown()
        await part.stop()
    }
}
