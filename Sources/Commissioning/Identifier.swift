/// The rule for entity ids, outcome ids, offer ids, role references and pseudonymous person references: 1-128 ASCII
/// characters from `A-Z a-z 0-9 . _ : @ -`, the first a letter or digit (the log's stream naming rule). No spaces, so
/// a person's name cannot be written where a reference belongs.
enum Identifier {
    /// The longest identifier, in bytes.
    static let maxLength = 128

    /// True when `text` follows the rule.
    static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.count <= maxLength, isAlphanumeric(first) else { return false }
        return utf8.allSatisfy { byte in
            isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
}
