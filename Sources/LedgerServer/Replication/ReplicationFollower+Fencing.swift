import EventLog
import LedgerClient
import LedgerJSON

extension ReplicationFollower {
    /// How telling the former primary of this ledger's epoch ended.
    enum FenceOutcome: Equatable {
        /// It heard (or this ledger does not lead, or the task was cancelled).
        case done
        /// It knows an epoch at least as new as this ledger's, led by another: this ledger recorded that and takes
        /// no more appends (a copy of a promoted ledger's data, say, or a second follower promoted in the same epoch).
        case steppedDown
    }

    /// The longest a `FENCE` may go unanswered before it is sent again on a new connection.
    static let fenceTimeout = Duration.seconds(5)

    /// Tells the primary this ledger followed that this ledger leads a newer epoch (`FENCE`), every `retryInterval`
    /// until it answers.
    func fenceFormerPrimary() async -> FenceOutcome {
        guard let epoch = log.epoch, epoch.leads else { return .done }
        var reported: String?
        while !Task.isCancelled {
            do {
                try await withPrimary { connection in
                    let deadline = ConnectionDeadline(connection, within: Self.fenceTimeout)
                    defer { deadline.cancel() }
                    try await connection.fence(epoch: epoch.number, primary: address)
                }
                progress.withLock { $0.fenced = true }
                logger.notice(
                    "the former primary was fenced",
                    metadata: ["formerPrimary": "\(primary)", "epoch": "\(epoch.number)"]
                )
                return .done
            } catch {
                if case LedgerClientError.server(code: .staleEpoch, let message, let details) = error {
                    return await stepDown(from: epoch, answer: message, details: details)
                }
                let problem = "\(error)"
                if reported != problem {
                    reported = problem
                    logger.notice(
                        "cannot reach the former primary to fence it yet; retrying every second",
                        metadata: ["formerPrimary": "\(primary)", "error": "\(problem)"]
                    )
                }
            }
            try? await Task.sleep(for: Self.retryInterval)
        }
        return .done
    }

    /// The former primary knows `details.epoch`, no older than `epoch`: this ledger records it, with the primary
    /// the answer names (or the former primary itself), and stops taking appends.
    private func stepDown(from epoch: ReplicationEpoch, answer: String, details: JSONValue) async -> FenceOutcome {
        let theirs = details["epoch"]?.int64Value.flatMap(UInt64.init(exactly:)) ?? epoch.number
        let newer = ReplicationEpoch(
            number: max(theirs, epoch.number),
            leads: false,
            primary: details["primary"]?.stringValue ?? primary
        )
        logger.error(
            "the former primary knows an epoch as new as this ledger's, led by another: this ledgerd takes no more appends",
            metadata: ["formerPrimary": "\(primary)", "epoch": "\(epoch.number)", "answer": "\(answer)"]
        )
        do {
            try await writer.record(newer)
            return .steppedDown
        } catch {
            logger.error("cannot record the newer epoch", metadata: ["error": "\(error)"])
            return .done
        }
    }
}
