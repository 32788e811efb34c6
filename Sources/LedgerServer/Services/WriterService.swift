import EventLog
import Logging
import ServiceLifecycle

/// The group-commit writer as a service. Its thread runs from the daemon's start; on graceful shutdown (after the
/// socket server, the projection fold and the signer have stopped, so nothing more is submitted) it commits what is
/// queued, stops, and the ledger's identity record is brought up to date.
struct WriterService: Service, CustomStringConvertible {
    let writer: GroupCommitWriter
    let log: EventLog
    let logger: Logger
    let description = "group-commit writer"

    func run() async {
        try? await gracefulShutdown()
        await writer.shutdown()
        do {
            try log.recordIdentity()
        } catch {
            logger.error("cannot update the ledger identity record", metadata: ["error": "\(error)"])
        }
        logger.info("stopped", metadata: ["head": .stringConvertible(log.head.position)])
    }
}
