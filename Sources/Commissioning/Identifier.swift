import LedgerJSON

/// The rule for entity ids, outcome ids, offer ids, role references and pseudonymous person references: 1-128 ASCII
/// characters from `A-Z a-z 0-9 . _ : @ -`, the first a letter or digit (the log's stream naming rule). No spaces, so
/// a person's name cannot be written where a reference belongs.
enum Identifier {
    /// The longest identifier, in bytes.
    static let maxLength = 128

    /// True when `text` follows the rule.
    static func isValid(_ text: String) -> Bool {
        text.withUTF8Buffer(isValid)
    }

    /// True when the UTF-8 text `utf8` follows the rule.
    static func isValid(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, utf8.count <= maxLength, isAlphanumeric(first) else { return false }
        for byte in utf8 {
            guard
                isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
            else { return false }
        }
        return true
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
}
