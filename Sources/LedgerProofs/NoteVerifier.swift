import Crypto

/// The public half of a note signing key, in the verifier key text form of C2SP signed-note and
/// golang.org/x/mod/sumdb/note: `<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 public key)>`.
///
/// Auditors configure this text; it is what `verify` trusts.
public struct NoteVerifier: Sendable, Hashable {
    /// The key name, which signature lines carry.
    public let name: String
    /// `SHA-256(name || 0x0A || 0x01 || publicKey)[:4]`, big-endian.
    public let keyID: UInt32
    /// The 32-byte Ed25519 public key.
    public let publicKey: [UInt8]

    /// A verifier for an Ed25519 public key.
    /// - Throws: `NoteError.malformedKey` for an invalid name or a key that is not 32 bytes.
    public init(name: String, publicKey: [UInt8]) throws(NoteError) {
        guard NoteFormat.isValidName(name) else {
            throw .malformedKey("the key name must be non-empty, without spaces or +")
        }
        guard publicKey.count == 32 else { throw .malformedKey("an Ed25519 public key has 32 bytes") }
        self.name = name
        self.publicKey = publicKey
        keyID = NoteFormat.keyID(name: name, publicKey: publicKey)
    }

    /// Parses a verifier key text; surrounding whitespace (a file's final newline) is ignored.
    /// - Throws: `NoteError.malformedKey` when the text is not an Ed25519 verifier key or its key id does not
    ///   match its name and key.
    public init(parsing text: String) throws(NoteError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard let parts = NoteFormat.splitKey(trimmed), let id = NoteFormat.keyID(hex: parts.id),
            let key = Base64.decode(parts.key)
        else { throw .malformedKey("expected <name>+<8 hex digits>+<base64 key>") }
        guard key.count == 33, key[0] == NoteFormat.ed25519 else {
            throw .malformedKey("not an Ed25519 key (type byte 0x01 and 32 bytes)")
        }
        try self.init(name: String(parts.name), publicKey: Array(key[1...]))
        guard keyID == id else { throw .malformedKey("the key id does not match the name and key") }
    }

    /// The verifier key text.
    public var text: String {
        "\(name)+\(NoteFormat.hex(keyID))+\(Base64.encode([NoteFormat.ed25519] + publicKey))"
    }

    /// The `name+id` label errors use.
    var label: String { "\(name)+\(NoteFormat.hex(keyID))" }

    /// Whether `signature` is this key's Ed25519 signature of `text`'s UTF-8 bytes.
    func isValidSignature(_ signature: [UInt8], for text: String) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Array(text.utf8))
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CRs and LFs.
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
