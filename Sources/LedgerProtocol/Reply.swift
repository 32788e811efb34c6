import LedgerJSON

/// Formats reply lines. Each function appends one complete line, LF included.
public enum Reply {
    /// `PONG`.
    public static func pong(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "PONG\n".utf8)
    }

    /// `OK <json>`.
    public static func ok(_ value: JSONValue, to buffer: inout [UInt8]) {
        line("OK", value, to: &buffer)
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
        buffer.append(contentsOf: "EVENT ".utf8)
        buffer.append(contentsOf: envelope)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `ROW <json>`: one row of a query's answer.
    public static func row(_ value: JSONValue, to buffer: inout [UInt8]) {
        line("ROW", value, to: &buffer)
    }

    /// `END <json>`: the end of a sequence.
    public static func end(_ value: JSONValue, to buffer: inout [UInt8]) {
        line("END", value, to: &buffer)
    }

    /// `LIVE <json>`: a subscription has caught up.
    public static func live(_ value: JSONValue, to buffer: inout [UInt8]) {
        line("LIVE", value, to: &buffer)
    }

    /// `ERR <CODE> <json>`.
    public static func error(_ error: ProtocolError, to buffer: inout [UInt8]) {
        line("ERR \(error.code.rawValue)", error.json, to: &buffer)
    }

    private static func line(_ keyword: String, _ value: JSONValue, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: keyword.utf8)
        buffer.append(UInt8(ascii: " "))
        value.write(to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }
}
