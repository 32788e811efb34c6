/// The first word of every reply line of protocol v1: `Reply` writes them, and clients read them back with
/// `ReplyKeyword(rawValue:)`.
public enum ReplyKeyword: String, Sendable, CaseIterable {
    /// `PONG`, alone on its line.
    case pong = "PONG"
    /// `OK <json>`.
    case ok = "OK"
    /// `EVENT <stored bytes>`.
    case event = "EVENT"
    /// `ROW <json>`.
    case row = "ROW"
    /// `END <json>`.
    case end = "END"
    /// `LIVE <json>`.
    case live = "LIVE"
    /// `STANDBY <json>`: a consumer's name is held by another connection; this one waits to take over.
    case standby = "STANDBY"
    /// `ACKED <json>`: a consumer's acknowledgements are durable up to `position`.
    case acked = "ACKED"
    /// `ERR <CODE> <json>`.
    case error = "ERR"
}
