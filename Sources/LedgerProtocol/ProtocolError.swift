import LedgerJSON

/// A request the server refuses: a wire code, a message and optional extra JSON fields.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable code.
    public var code: ErrorCode
    /// A clear, human message.
    public var message: String
    /// Extra fields of the error object (for example `expected` and `actual`).
    public var fields: [String: JSONValue]

    public init(_ code: ErrorCode, _ message: String, fields: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error's JSON object: `fields` plus `message`.
    public var json: JSONValue {
        var object = fields
        object["message"] = .string(message)
        return .object(object)
    }
}
