import LedgerJSON

/// A reply line `ReplyLine` cannot read: one protocol v1 does not send.
public struct ReplyDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the line.
    public enum Reason: Sendable, Hashable {
        /// No reply keyword starts it, or `PONG` has more after it.
        case unknownForm
        /// `ERR` has no JSON after its code.
        case errorWithoutDetails
        /// The JSON after the keyword (and code) is not valid.
        case invalidJSON(JSONError)
    }

    /// What is wrong.
    public var reason: Reason
    /// The line's first 80 bytes as text, for messages.
    public var excerpt: String

    /// The error for `line` (without its LF).
    public init(_ reason: Reason, line: some Collection<UInt8>) {
        self.reason = reason
        excerpt = String(decoding: line.prefix(80), as: UTF8.self)
    }

    /// One line: what is wrong, with the line's start quoted.
    public var description: String {
        switch reason {
        case .unknownForm: "unexpected reply \"\(excerpt)\""
        case .errorWithoutDetails: "ERR line without details: \"\(excerpt)\""
        case .invalidJSON(let error): "invalid JSON in reply \"\(excerpt)\": \(error)"
        }
    }
}
