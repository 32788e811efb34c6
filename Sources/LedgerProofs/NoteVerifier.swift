import Crypto

/// The public half of a note signing key, in the verifier key text form of C2SP signed-note and
/// golang.org/x/mod/sumdb/note: `<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 public key)>`.
///
/// Auditors configure this text; it is what `verify` trusts.
public struct NoteVerifier: Sendable, Hashable {
    let key: NoteKey

    /// The key name, which signature lines carry.
    public var name: String { key.name }
    /// `SHA-256(name || 0x0A || 0x01 || publicKey)[:4]`, big-endian.
    public var keyID: UInt32 { key.keyID }
    /// The 32-byte Ed25519 public key.
    public var publicKey: [UInt8] { key.publicKey }

    /// A verifier for an Ed25519 public key.
    /// - Throws: `NoteError.malformedKey` for an invalid name or a key that is not 32 bytes.
    public init(name: String, publicKey: [UInt8]) throws(NoteError) {
        key = try NoteKey(name: name, type: NoteFormat.ed25519, publicKey: publicKey)
    }

    /// Parses a verifier key text; surrounding whitespace (a file's final newline) is ignored.
    /// - Throws: `NoteError.malformedKey` when the text is not an Ed25519 verifier key or its key id does not
    ///   match its name and key.
    public init(parsing text: String) throws(NoteError) {
        key = try NoteKey(parsing: text, type: NoteFormat.ed25519, what: "an Ed25519 key")
    }

    /// The verifier key text.
    public var text: String { key.text }

    /// The `name+id` label errors use.
    var label: String { key.label }

    /// Whether `signature` is this key's Ed25519 signature of `text`'s UTF-8 bytes.
    func isValidSignature(_ signature: [UInt8], for text: String) -> Bool {
        guard let ed25519 = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return ed25519.isValidSignature(signature, for: Array(text.utf8))
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
