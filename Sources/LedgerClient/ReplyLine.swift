import LedgerJSON
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
        if bytes == Array("PONG".utf8) {
            self = .pong
            return
        }
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else {
            throw .protocolViolation("unexpected reply \(Self.excerpt(bytes))")
        }
        let keyword = String(decoding: bytes[..<space], as: UTF8.self)
        let rest = bytes[(space + 1)...]
        switch keyword {
        case "EVENT":
            do {
                self = .event(try LedgerEvent(bytes: Array(rest)))
            } catch {
                throw .protocolViolation("EVENT line that is not an event: \(error)")
            }
        case "OK": self = .ok(try Self.json(rest, bytes))
        case "ROW": self = .row(try Self.json(rest, bytes))
        case "END": self = .end(try Self.json(rest, bytes))
        case "LIVE": self = .live(try Self.json(rest, bytes))
        case "ERR":
            guard let codeEnd = rest.firstIndex(of: UInt8(ascii: " ")) else {
                throw .protocolViolation("ERR line without details: \(Self.excerpt(bytes))")
            }
            let code = String(decoding: rest[..<codeEnd], as: UTF8.self)
            self = .error(LedgerClientError(code: code, details: try Self.json(rest[(codeEnd + 1)...], bytes)))
        default:
            throw .protocolViolation("unexpected reply \(Self.excerpt(bytes))")
        }
    }

    /// The keyword, for messages.
    var keyword: String {
        switch self {
        case .pong: "PONG"
        case .ok: "OK"
        case .event: "EVENT"
        case .row: "ROW"
        case .end: "END"
        case .live: "LIVE"
        case .error: "ERR"
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
