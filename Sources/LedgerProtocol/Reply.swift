import LedgerJSON

/// Formats reply lines. Each function appends one complete line, LF included.
public enum Reply {
    /// `PONG`.
    public static func pong(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: ReplyKeyword.pong.rawValue.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `OK <json>`.
    public static func ok(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.ok, value, to: &buffer)
    }

    /// `OK {"first":..,"last":..,"version":..}` (with `"duplicate":true` first when set): an append's answer, written
    /// without building a JSON value, in the canonical form `ok(_:to:)` would give it.
    public static func appended(
        first: UInt64,
        last: UInt64,
        version: UInt64,
        duplicate: Bool,
        to buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: duplicate ? #"OK {"duplicate":true,"first":"#.utf8 : #"OK {"first":"#.utf8)
        buffer.append(contentsOf: String(first).utf8)
        buffer.append(contentsOf: #","last":"#.utf8)
        buffer.append(contentsOf: String(last).utf8)
        buffer.append(contentsOf: #","version":"#.utf8)
        buffer.append(contentsOf: String(version).utf8)
        buffer.append(contentsOf: "}\n".utf8)
    }

    /// `EVENT <stored bytes>`: the event's envelope exactly as stored and hashed.
    public static func event(_ envelope: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(contentsOf: ReplyKeyword.event.rawValue.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: envelope)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `ROW <json>`: one row of a query's answer.
    public static func row(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.row, value, to: &buffer)
    }

    /// `ROW <json>` of a row already encoded in the canonical compact form.
    public static func row(encoded json: some Collection<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: ReplyKeyword.row.rawValue.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: json)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `END <json>`: the end of a sequence.
    public static func end(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.end, value, to: &buffer)
    }

    /// `LIVE <json>`: a subscription has caught up.
    public static func live(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.live, value, to: &buffer)
    }

    /// `STANDBY <json>`: a consumer waits for the connection holding its name to go.
    public static func standby(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.standby, value, to: &buffer)
    }

    /// `ACKED <json>`: a consumer's acknowledgements are durable.
    public static func acked(_ value: JSONValue, to buffer: inout [UInt8]) {
        line(.acked, value, to: &buffer)
    }

    /// `ERR <CODE> <json>`.
    public static func error(_ error: ProtocolError, to buffer: inout [UInt8]) {
        line(.error, code: error.code, error.json, to: &buffer)
    }

    private static func line(
        _ keyword: ReplyKeyword,
        code: ErrorCode? = nil,
        _ value: JSONValue,
        to buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: keyword.rawValue.utf8)
        buffer.append(UInt8(ascii: " "))
        if let code {
            buffer.append(contentsOf: code.rawValue.utf8)
            buffer.append(UInt8(ascii: " "))
        }
        value.write(to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }
}
