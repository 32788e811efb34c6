/// Why a JSON text was refused, and where.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The input ended inside a value (or held no value at all).
        case unexpectedEnd
        /// A byte that cannot start or continue what was being parsed.
        case unexpectedByte(UInt8)
        /// Ill-formed UTF-8: overlong forms, encoded surrogates, bytes above 0xF4, truncated sequences.
        case invalidUTF8
        /// A raw byte below 0x20 inside a string.
        case controlCharacterInString
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate without its partner.
        case loneSurrogate
        /// Text that does not match the JSON number grammar.
        case invalidNumber
        /// A number literal longer than `JSONParser.Limits.maxNumberLength`.
        case numberTooLong
        /// An object key (after unescaping) that already occurred in the same object.
        case duplicateKey(String)
        /// Arrays and objects nested deeper than `JSONParser.Limits.maxDepth`.
        case tooDeep
        /// Something other than whitespace after the value.
        case trailingData
        /// A string longer than `JSONParser.Limits.maxStringBytes`.
        case tooLarge
    }

    /// What was wrong.
    public let reason: Reason
    /// The byte offset in the input where it was found.
    public let offset: Int

    /// An error for `reason` found at byte `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// A human-readable message that ends with the byte offset, e.g. `duplicate key "a" at byte 14`.
    public var description: String {
        "\(reason.message) at byte \(offset)"
    }
}

extension JSONError.Reason {
    fileprivate var message: String {
        switch self {
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedByte(let byte):
            if byte >= 0x20 && byte < 0x7F {
                return "unexpected character '\(Character(Unicode.Scalar(byte)))'"
            }
            let hex = String(byte, radix: 16, uppercase: true)
            return "unexpected byte 0x\(byte < 0x10 ? "0" : "")\(hex)"
        case .invalidUTF8: return "invalid UTF-8"
        case .controlCharacterInString: return "unescaped control character in a string"
        case .invalidEscape: return "invalid escape sequence"
        case .loneSurrogate: return "unpaired UTF-16 surrogate in a \\u escape"
        case .invalidNumber: return "invalid number"
        case .numberTooLong: return "number too long"
        case .duplicateKey(let key):
            let head = key.prefix(64)
            var quoted = [UInt8]()
            JSONValue.writeString(head.endIndex == key.endIndex ? key : String(head) + "…", to: &quoted)
            return "duplicate key \(String(decoding: quoted, as: UTF8.self))"
        case .tooDeep: return "nesting too deep"
        case .trailingData: return "unexpected data after the JSON value"
        case .tooLarge: return "string too long"
        }
    }
}
