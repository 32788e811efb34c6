import LedgerJSON

/// One reply line read back, classified by its keyword: the inverse of `Reply`.
public enum ReplyLine: Sendable, Hashable {
    /// `PONG`.
    case pong
    /// `OK <json>`.
    case ok(JSONValue)
    /// `EVENT <stored bytes>`: the event's envelope exactly as stored and hashed, not parsed here.
    case event([UInt8])
    /// `ROW <json>`: one row of a `QUERY` answer.
    case row(JSONValue)
    /// `END <json>`.
    case end(JSONValue)
    /// `LIVE <json>`.
    case live(JSONValue)
    /// `STANDBY <json>`.
    case standby(JSONValue)
    /// `ACKED <json>`.
    case acked(JSONValue)
    /// `ERR <CODE> <json>`: `details` is the JSON as sent and `message` its `message` string ("" without one). A code
    /// this version does not know arrives as `.internal`, with the code in front of the message (`CODE: message`).
    case error(code: ErrorCode, message: String, details: JSONValue)

    /// Reads one line, without its LF.
    /// - Throws: `ReplyDecodingError` for a line protocol v1 does not send: an unknown keyword, `PONG` with more after
    ///   it, `ERR` without JSON after its code, or JSON that is not valid.
    public init(_ line: some Collection<UInt8>) throws(ReplyDecodingError) {
        if line.elementsEqual(ReplyKeyword.pong.rawValue.utf8) {
            self = .pong
            return
        }
        guard let space = line.firstIndex(of: UInt8(ascii: " ")),
            let keyword = ReplyKeyword(rawValue: String(decoding: line[..<space], as: UTF8.self))
        else {
            throw ReplyDecodingError(.unknownForm, line: line)
        }
        let rest = line[line.index(after: space)...]
        switch keyword {
        case .pong: throw ReplyDecodingError(.unknownForm, line: line)
        case .event: self = .event(Array(rest))
        case .ok: self = .ok(try Self.json(rest, of: line))
        case .row: self = .row(try Self.json(rest, of: line))
        case .end: self = .end(try Self.json(rest, of: line))
        case .live: self = .live(try Self.json(rest, of: line))
        case .standby: self = .standby(try Self.json(rest, of: line))
        case .acked: self = .acked(try Self.json(rest, of: line))
        case .error:
            guard let codeEnd = rest.firstIndex(of: UInt8(ascii: " ")) else {
                throw ReplyDecodingError(.errorWithoutDetails, line: line)
            }
            let code = String(decoding: rest[..<codeEnd], as: UTF8.self)
            let details = try Self.json(rest[rest.index(after: codeEnd)...], of: line)
            let message = details["message"]?.stringValue ?? ""
            if let known = ErrorCode(rawValue: code) {
                self = .error(code: known, message: message, details: details)
            } else {
                self = .error(code: .internal, message: "\(code): \(message)", details: details)
            }
        }
    }

    /// The line's first word.
    public var keyword: ReplyKeyword {
        switch self {
        case .pong: .pong
        case .ok: .ok
        case .event: .event
        case .row: .row
        case .end: .end
        case .live: .live
        case .standby: .standby
        case .acked: .acked
        case .error: .error
        }
    }

    /// The JSON value of `text`, part of `line`.
    private static func json(
        _ text: some Collection<UInt8>,
        of line: some Collection<UInt8>
    ) throws(ReplyDecodingError) -> JSONValue {
        do {
            return try JSONParser.parse(Array(text))
        } catch {
            throw ReplyDecodingError(.invalidJSON(error), line: line)
        }
    }
}
