/// Why a JSON text was refused, and where.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidUTF8
        case controlCharacterInString
        case invalidEscape
        case loneSurrogate
        case invalidNumber
        case numberTooLong
        case duplicateKey(String)
        case tooDeep
        case trailingData
        case tooLarge
    }

    public let reason: Reason
    /// The byte offset in the input where it was found.
    public let offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedByte(let byte):
            what =
                byte >= 0x20 && byte < 0x7F
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                : "unexpected byte 0x\(String(byte, radix: 16))"
        case .invalidUTF8: what = "invalid UTF-8"
        case .controlCharacterInString: what = "unescaped control character in a string"
        case .invalidEscape: what = "invalid escape sequence"
        case .loneSurrogate: what = "unpaired UTF-16 surrogate in a \\u escape"
        case .invalidNumber: what = "invalid number"
        case .numberTooLong: what = "number too long"
        case .duplicateKey(let key): what = "duplicate key \"\(key.prefix(64))\""
        case .tooDeep: what = "nesting too deep"
        case .trailingData: what = "unexpected data after the JSON value"
        case .tooLarge: what = "string too long"
        }
        return "\(what) at byte \(offset)"
    }
}
