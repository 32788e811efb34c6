import EventLog
import LedgerProtocol
import LedgerWire

/// What the transport asks of the request layer: a job for each line, the commands run in their turn, and the words
/// of replies. The daemon's router is `Connection`; the transport's tests give one of their own.
protocol RequestRouter: Sendable {
    /// Turns one line, whose verb is `verb` (`RequestParser.verb(of:)`), into a job; nil when the line needs no reply
    /// of its own (`UNSUBSCRIBE` of a live subscription). `subscription` is the connection's live one, if any.
    func dispatch(_ line: ArraySlice<UInt8>, verb: Verb?, subscription: inout SubscriptionControl?) -> Job?

    /// Runs a command whose turn has come and writes its replies.
    func execute(_ command: Command, outbound: ReplyWriter) async throws

    /// Streams a subscription or a consumer's turn until it is stopped, then writes its `END`.
    func subscribe(_ control: SubscriptionControl, outbound: ReplyWriter) async throws

    /// The reply to an append, and whether the connection must close after it.
    func appendReply(_ result: Result<AppendResult, EventLogError>) -> (line: [UInt8], closes: Bool)

    /// The reply line for `error` (counted, and logged when it is the server's fault).
    func errorLine(_ error: ProtocolError) -> [UInt8]
}
