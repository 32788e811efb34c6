/// The naming rules for streams and event types: 1-128 ASCII characters from `A-Z a-z 0-9 . _ : @ -`, the first a
/// letter or digit. No slashes, spaces, quotes or control characters, so names are safe in keys, lines and paths.
public enum Naming {
    /// The longest stream name or event type, in bytes.
    public static let maxLength = 128

    /// True when `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, utf8.count <= maxLength, isAlphanumeric(first) else { return false }
        return utf8.allSatisfy { byte in
            isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
}
