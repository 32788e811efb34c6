import LedgerJSON
import LedgerProtocol
import NIOCore

/// One reply line from the server, classified by its keyword.
enum ReplyLine: Sendable {
    /// `PONG`.
    case pong
    /// `OK <json>`.
    case ok(JSONValue)
    /// `EVENT <stored bytes>`.
    case event(LedgerEvent)
    /// `ROW <json>`: one row of a `QUERY` answer.
    case row(JSONValue)
    /// `END <json>`.
    case end(JSONValue)
    /// `LIVE <json>`.
    case live(JSONValue)
    /// `ERR <code> <json>`.
    case error(LedgerClientError)

    /// Parses a line (its LF already removed by the frame decoder).
    /// - Throws: `LedgerClientError.protocolViolation` for anything protocol v1 does not send.
    init(_ frame: ByteBuffer) throws(LedgerClientError) {
        let bytes = Array(frame.readableBytesView)
        if bytes.elementsEqual(ReplyKeyword.pong.rawValue.utf8) {
            self = .pong
            return
        }
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
            let keyword = ReplyKeyword(rawValue: String(decoding: bytes[..<space], as: UTF8.self))
        else {
            throw .protocolViolation("unexpected reply \(Self.excerpt(bytes))")
        }
        let rest = bytes[(space + 1)...]
        switch keyword {
        case .pong:
            throw .protocolViolation("unexpected reply \(Self.excerpt(bytes))")
        case .event:
            do {
                self = .event(try LedgerEvent(bytes: Array(rest)))
            } catch {
                throw .protocolViolation("EVENT line that is not an event: \(error)")
            }
        case .ok: self = .ok(try Self.json(rest, bytes))
        case .row: self = .row(try Self.json(rest, bytes))
        case .end: self = .end(try Self.json(rest, bytes))
        case .live: self = .live(try Self.json(rest, bytes))
        case .error:
            guard let codeEnd = rest.firstIndex(of: UInt8(ascii: " ")) else {
                throw .protocolViolation("ERR line without details: \(Self.excerpt(bytes))")
            }
            let code = String(decoding: rest[..<codeEnd], as: UTF8.self)
            self = .error(LedgerClientError(code: code, details: try Self.json(rest[(codeEnd + 1)...], bytes)))
        }
    }

    /// The keyword, for messages.
    var keyword: String {
        switch self {
        case .pong: ReplyKeyword.pong.rawValue
        case .ok: ReplyKeyword.ok.rawValue
        case .event: ReplyKeyword.event.rawValue
        case .row: ReplyKeyword.row.rawValue
        case .end: ReplyKeyword.end.rawValue
        case .live: ReplyKeyword.live.rawValue
        case .error: ReplyKeyword.error.rawValue
        }
    }

    private static func json(_ text: ArraySlice<UInt8>, _ line: [UInt8]) throws(LedgerClientError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .protocolViolation("invalid JSON in reply \(excerpt(line)): \(error)")
        }
    }

    private static func excerpt(_ line: [UInt8]) -> String {
        "\"\(String(decoding: line.prefix(80), as: UTF8.self))\""
    }
}
