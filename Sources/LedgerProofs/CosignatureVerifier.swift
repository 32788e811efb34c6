import Crypto

/// A witness's public key (C2SP tlog-cosignature, Ed25519 `cosignature/v1`), in verifier key text form with signature
/// type 0x04: `<name>+<hex key id>+<base64(0x04 || 32-byte Ed25519 public key)>`.
///
/// A witness cosigns a checkpoint only after checking that it extends the last one it cosigned, so a quorum of
/// cosignatures from independent witnesses shows that the log showed everyone the same history.
public struct CosignatureVerifier: Sendable, Hashable {
    let key: NoteKey

    /// The witness's name, which its signature lines carry (a schema-less URL by convention).
    public var name: String { key.name }
    /// `SHA-256(name || 0x0A || 0x04 || publicKey)[:4]`, big-endian.
    public var keyID: UInt32 { key.keyID }
    /// The 32-byte Ed25519 public key.
    public var publicKey: [UInt8] { key.publicKey }

    /// A verifier for a witness's Ed25519 public key.
    /// - Throws: `NoteError.malformedKey` for an invalid name or a key that is not 32 bytes.
    public init(name: String, publicKey: [UInt8]) throws(NoteError) {
        key = try NoteKey(name: name, type: NoteFormat.cosignatureV1, publicKey: publicKey)
    }

    /// Parses a witness's verifier key text; surrounding whitespace is ignored.
    /// - Throws: `NoteError.malformedKey` when it is not a cosigner key (type 0x04) or its key id is wrong.
    public init(parsing text: String) throws(NoteError) {
        key = try NoteKey(parsing: text, type: NoteFormat.cosignatureV1, what: "a witness (cosigner) key")
    }

    /// The verifier key text.
    public var text: String { key.text }

    /// The time (seconds since the Unix epoch) of this witness's cosignature on `note`, once it verifies.
    /// - Throws: `NoteError.unsigned` when the witness did not cosign the note; `.invalidSignature` when a
    ///   cosignature by its key does not verify (the text, the time or the signature was changed).
    public func verify(_ note: SignedNote) throws(NoteError) -> UInt64 {
        let mine = key.signatures(in: note)
        guard !mine.isEmpty else { throw .unsigned(key: key.label) }
        var newest: UInt64 = 0
        for signature in mine {
            guard signature.bytes.count == 8 + 64,
                let ed25519 = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
            else { throw .invalidSignature(key: key.label) }
            let time = signature.bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let message = Cosigner.message(text: note.text, time: time)
            guard time <= UInt64(Int64.max), ed25519.isValidSignature(signature.bytes.dropFirst(8), for: message) else {
                throw .invalidSignature(key: key.label)
            }
            newest = max(newest, time)
        }
        return newest
    }
}
