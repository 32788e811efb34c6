import Crypto

/// Signs checkpoints as C2SP signed notes with an Ed25519 key.
///
/// The key's text form (the daemon's key file) is one line,
/// `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>`, as in golang.org/x/mod/sumdb/note.
public struct CheckpointSigner: Sendable {
    /// The matching verifier key, for auditors.
    public let verifier: NoteVerifier
    private let key: Curve25519.Signing.PrivateKey

    /// The key name written on signature lines; by convention the log's origin.
    public var name: String { verifier.name }
    /// The key id written in every signature.
    public var keyID: UInt32 { verifier.keyID }

    /// A signer for the Ed25519 private key `seed` (32 bytes) named `name`.
    /// - Throws: `NoteError.malformedKey` for an invalid name or seed.
    public init(name: String, privateKey seed: [UInt8]) throws(NoteError) {
        let key = try NoteFormat.signingKey(seed: seed)
        verifier = try NoteVerifier(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        self.key = key
    }

    /// Parses the private key text of a key file; surrounding whitespace is ignored.
    /// - Throws: `NoteError.malformedKey` when the text is not an Ed25519 private key or its key id does not
    ///   match its name and key.
    public init(privateKeyText text: String) throws(NoteError) {
        let (name, seed) = try NoteFormat.parsePrivateKey(text, type: NoteFormat.ed25519)
        try self.init(name: name, privateKey: seed)
    }

    /// The private key text for the key file. Keep it readable by the daemon's user only.
    public var privateKeyText: String {
        NoteFormat.privateKeyText(
            name: name,
            keyID: keyID,
            type: NoteFormat.ed25519,
            seed: Array(key.rawRepresentation)
        )
    }

    /// Signs the checkpoint's note text.
    /// - Returns: the signed note with this key's signature line.
    /// - Throws: `NoteError.signingFailed` when the Ed25519 implementation fails.
    public func sign(_ checkpoint: Checkpoint) throws(NoteError) -> SignedNote {
        try sign(text: checkpoint.text)
    }

    /// Signs any note text.
    /// - Returns: the signed note with this key's signature line.
    /// - Throws: `NoteError.malformedNote` when the text does not end in a newline or has control characters;
    ///   `NoteError.signingFailed` when the Ed25519 implementation fails.
    public func sign(text: String) throws(NoteError) -> SignedNote {
        let signature: [UInt8]
        do {
            signature = Array(try key.signature(for: Array(text.utf8)))
        } catch {
            throw .signingFailed("\(error)")
        }
        return try SignedNote(
            text: text,
            signatures: [SignedNote.Signature(keyName: name, keyID: keyID, bytes: signature)]
        )
    }
}
