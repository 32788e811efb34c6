import EventLog

/// Where the transport sends appends: the group-commit writer, which calls `complete` once, on its own thread, when
/// the append is durable or refused.
protocol Appender: Sendable {
    func submit(_ request: AppendRequest, complete: @escaping GroupCommitWriter.Completion)
}

extension GroupCommitWriter: Appender {}
