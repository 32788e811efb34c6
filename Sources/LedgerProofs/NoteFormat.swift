import Crypto

/// The rules signed notes, keys and checkpoints share (C2SP signed-note).
enum NoteFormat {
    /// The signature type byte of Ed25519 keys.
    static let ed25519: UInt8 = 0x01
    /// The signature type byte of Ed25519 cosigner keys (C2SP tlog-cosignature, `cosignature/v1`).
    static let cosignatureV1: UInt8 = 0x04
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

    /// `SHA-256(name || 0x0A || type || publicKey)[:4]`, big-endian.
    static func keyID(name: String, type: UInt8 = ed25519, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A, type] + publicKey)
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

    /// Parses `<name>+<hex key id>+<base64(type || 32 bytes)>` (a key, or a private key after its prefix),
    /// checking the type byte and that the key id is the one `id(name, bytes)` computes.
    /// - Throws: `NoteError.malformedKey` saying what is wrong; `what` names the expected key.
    static func parseKey(
        _ text: Substring,
        type: UInt8,
        what: String,
        id: (String, [UInt8]) throws(NoteError) -> UInt32
    ) throws(NoteError) -> (name: String, key: [UInt8]) {
        guard let parts = splitKey(text), let keyID = keyID(hex: parts.id), let key = Base64.decode(parts.key) else {
            throw .malformedKey("expected <name>+<8 hex digits>+<base64 key>")
        }
        guard key.count == 33, key[0] == type else {
            throw .malformedKey("not \(what) (type byte 0x0\(type) and 32 bytes)")
        }
        let (name, bytes) = (String(parts.name), Array(key[1...]))
        guard try id(name, bytes) == keyID else { throw .malformedKey("the key id does not match the name and key") }
        return (name, bytes)
    }

    /// The Ed25519 signing key of a 32-byte seed.
    /// - Throws: `NoteError.malformedKey` when `seed` is not one.
    static func signingKey(seed: [UInt8]) throws(NoteError) -> Curve25519.Signing.PrivateKey {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .malformedKey("an Ed25519 private key is a 32-byte seed")
        }
        return key
    }

    /// Parses a private key text, `PRIVATE+KEY+<name>+<hex key id>+<base64(type || 32-byte seed)>`, checking that the
    /// key id is the one of the seed's public key; surrounding whitespace is ignored.
    /// - Throws: `NoteError.malformedKey` saying what is wrong.
    static func parsePrivateKey(_ text: String, type: UInt8) throws(NoteError) -> (name: String, seed: [UInt8]) {
        let prefix = "PRIVATE+KEY+"
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.hasPrefix(prefix) else {
            throw .malformedKey("expected PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>")
        }
        let what = type == ed25519 ? "an Ed25519 private key" : "an Ed25519 cosigner private key"
        let (name, seed) = try parseKey(trimmed.dropFirst(prefix.count), type: type, what: what) {
            name,
            seed throws(NoteError) in
            keyID(name: name, type: type, publicKey: Array(try signingKey(seed: seed).publicKey.rawRepresentation))
        }
        return (name, seed)
    }

    /// `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>`.
    static func privateKeyText(name: String, keyID: UInt32, type: UInt8, seed: [UInt8]) -> String {
        "PRIVATE+KEY+\(name)+\(hex(keyID))+\(Base64.encode([type] + seed))"
    }
}
