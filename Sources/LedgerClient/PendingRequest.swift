import LedgerJSON
import NIOCore

/// A request on the wire, waiting for its reply; replies arrive in request order.
enum PendingRequest: Sendable {
    /// Answered by one line: `PONG`, `OK` or `ERR`.
    case single(EventLoopPromise<Reply>)
    /// Answered by `EVENT` lines then `END`, or by `ERR`.
    case sequence(EventLoopPromise<Reply>)
    /// `REPLICATE`: answered by `EVENT` lines, kept as their bytes without decoding, then `END`, or by `ERR`.
    case envelopes(EventLoopPromise<Reply>)
    /// `QUERY`: answered by `ROW` lines then `END`, or by `ERR`.
    case rows(EventLoopPromise<Reply>)
    /// `SUBSCRIBE` or `CONSUME`: `EVENT`, `LIVE`, `STANDBY` and `ACKED` lines delivered as they come, until `END` or
    /// `ERR`.
    case subscription(SubscriptionBuffer)
}

/// A complete reply to a single or sequence request.
enum Reply: Sendable {
    case pong
    case ok(JSONValue)
    case events([LedgerEvent], end: JSONValue)
    case rows([JSONValue], end: JSONValue)
    case envelopes([[UInt8]], end: JSONValue)
}

extension PendingRequest {
    /// Whether its `EVENT` lines are kept as bytes, not decoded.
    var keepsEnvelopes: Bool {
        if case .envelopes = self { true } else { false }
    }
}
