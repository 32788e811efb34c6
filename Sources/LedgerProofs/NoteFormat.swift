import Crypto

/// The rules signed notes, keys and checkpoints share (C2SP signed-note).
enum NoteFormat {
    /// The signature type byte of Ed25519 keys.
    static let ed25519: UInt8 = 0x01
    /// The em dash (U+2014) and space that start a signature line.
    static let signaturePrefix = Array("\u{2014} ".utf8)

    /// Key names are non-empty and have no Unicode spaces, no `+` and no control characters.
    static func isValidName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { $0 != "+" && !$0.properties.isWhitespace && $0.value >= 0x20 }
    }

    /// Signed notes have no ASCII control characters except newline.
    static func isValidText(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 || $0 == 0x0A }
    }

    /// `SHA-256(name || 0x0A || 0x01 || publicKey)[:4]`, big-endian.
    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A, ed25519] + publicKey)
        return hasher.finalize().withUnsafeBytes { raw in
            raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
    }

    /// Eight lowercase hexadecimal digits.
    static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Exactly eight hexadecimal digits (either case).
    static func keyID(hex: some StringProtocol) -> UInt32? {
        guard hex.utf8.count == 8, hex.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { return nil }
        return UInt32(hex, radix: 16)
    }

    /// Splits `name+<hex id>+<base64 key>` (the key's base64 may itself contain `+`).
    static func splitKey(_ text: Substring) -> (name: Substring, id: Substring, key: Substring)? {
        guard let first = text.firstIndex(of: "+") else { return nil }
        let rest = text[text.index(after: first)...]
        guard let second = rest.firstIndex(of: "+") else { return nil }
        return (text[..<first], rest[..<second], rest[rest.index(after: second)...])
    }
}
