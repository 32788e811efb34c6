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
    /// `ERR <CODE> <json>`.
    case error = "ERR"
}
