import Crypto

/// A witness's signing key: cosigns checkpoints in the C2SP tlog-cosignature format (Ed25519, `cosignature/v1`).
///
/// The key's text form is one line, `PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || 32-byte seed)>`. The signed
/// message is `cosignature/v1\ntime <seconds>\n` followed by the checkpoint's note text; the signature line carries
/// the 8-byte big-endian time before the 64-byte signature.
public struct Cosigner: Sendable {
    /// The matching verifier key, which the witness publishes.
    public let verifier: CosignatureVerifier
    private let key: Curve25519.Signing.PrivateKey

    /// The witness's name, written on its signature lines.
    public var name: String { verifier.name }

    /// A cosigner for the Ed25519 private key `seed` (32 bytes) named `name`.
    /// - Throws: `NoteError.malformedKey` for an invalid name or seed.
    public init(name: String, privateKey seed: [UInt8]) throws(NoteError) {
        let key = try NoteFormat.signingKey(seed: seed)
        verifier = try CosignatureVerifier(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        self.key = key
    }

    /// Parses a cosigner's private key text; surrounding whitespace is ignored.
    /// - Throws: `NoteError.malformedKey` when it is not a cosigner private key or its key id is wrong.
    public init(privateKeyText text: String) throws(NoteError) {
        let (name, seed) = try NoteFormat.parsePrivateKey(text, type: NoteFormat.cosignatureV1)
        try self.init(name: name, privateKey: seed)
    }

    /// A new random cosigner key named `name`.
    /// - Throws: `NoteError.malformedKey` when `name` is not a valid key name.
    public static func generate(name: String) throws(NoteError) -> Cosigner {
        try Cosigner(name: name, privateKey: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// The private key text for the witness's key file. Keep it readable by the witness only.
    public var privateKeyText: String {
        NoteFormat.privateKeyText(
            name: name,
            keyID: verifier.keyID,
            type: NoteFormat.cosignatureV1,
            seed: Array(key.rawRepresentation)
        )
    }

    /// This witness's cosignature of `note`'s text at `time` (seconds since the Unix epoch, at most `Int64.max`).
    /// - Throws: `NoteError.signingFailed` when the time is too large or the Ed25519 implementation fails.
    public func cosign(_ note: SignedNote, time: UInt64) throws(NoteError) -> SignedNote.Signature {
        guard time <= UInt64(Int64.max) else { throw .signingFailed("a cosignature's time is at most 2^63 - 1") }
        let signature: [UInt8]
        do {
            signature = Array(try key.signature(for: Self.message(text: note.text, time: time)))
        } catch {
            throw .signingFailed("\(error)")
        }
        let timeBytes = (0..<8).map { UInt8(truncatingIfNeeded: time >> (56 - 8 * $0)) }
        return SignedNote.Signature(keyName: name, keyID: verifier.keyID, bytes: timeBytes + signature)
    }

    /// The bytes a `cosignature/v1` signs: the header line, the time line, then the note text.
    static func message(text: String, time: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n\(text)".utf8)
    }
}
