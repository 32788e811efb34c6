/// A C2SP signed note: a text ending in a newline, a blank line, then one signature line per signature,
/// `— <key name> <base64(4-byte big-endian key id || signature)>` (the dash is an em dash, U+2014).
///
/// The signatures cover the text's UTF-8 bytes including its final newline. The text must be ignored unless
/// `verify(with:)` succeeds.
public struct SignedNote: Sendable, Hashable {
    /// One signature line.
    public struct Signature: Sendable, Hashable {
        /// The signing key's name.
        public let keyName: String
        /// The signing key's id.
        public let keyID: UInt32
        /// The signature bytes (64 for Ed25519), without the key id.
        public let bytes: [UInt8]

        public init(keyName: String, keyID: UInt32, bytes: [UInt8]) {
            self.keyName = keyName
            self.keyID = keyID
            self.bytes = bytes
        }

        /// The signature of a line's last word, `encoded` (base64 of the 4-byte big-endian key id and the signature
        /// bytes); nil when it is not base64 of more than 4 bytes.
        public init?(keyName: String, encoded: some StringProtocol) {
            guard let decoded = Base64.decode(encoded), decoded.count > 4 else { return nil }
            self.init(
                keyName: keyName,
                keyID: decoded.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) },
                bytes: Array(decoded.dropFirst(4))
            )
        }

        /// The line's last word: base64 of the key id and the signature bytes.
        public var encodedSignature: String {
            Base64.encode((0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) } + bytes)
        }

        /// The signature line, with its newline.
        var line: String { "\u{2014} \(keyName) \(encodedSignature)\n" }
    }

    /// The most signature lines a note may have.
    public static let maximumSignatures = 100
    /// The largest note accepted, in UTF-8 bytes.
    public static let maximumSize = 1 << 20

    /// The signed text, ending in a newline.
    public let text: String
    /// The signatures, in order.
    public let signatures: [Signature]

    /// A note from its text and signatures.
    /// - Throws: `NoteError.malformedNote` when the text does not end in a newline or has control characters,
    ///   a key name is invalid, or there are no signatures or too many.
    public init(text: String, signatures: [Signature]) throws(NoteError) {
        guard text.hasSuffix("\n"), NoteFormat.isValidText(text) else {
            throw .malformedNote("the text must end in a newline and have no control characters but newlines")
        }
        guard (1...Self.maximumSignatures).contains(signatures.count) else {
            throw .malformedNote("a note needs 1 to \(Self.maximumSignatures) signatures")
        }
        guard signatures.allSatisfy({ NoteFormat.isValidName($0.keyName) }) else {
            throw .malformedNote("a key name must be non-empty, without spaces or +")
        }
        self.text = text
        self.signatures = signatures
    }

    /// The note with `signature` added, in place of any earlier signature by the same key (same name and key id): a
    /// witness that cosigns the same checkpoint again replaces its cosignature.
    /// - Throws: `NoteError.malformedNote` when the note would have more than `maximumSignatures` signatures.
    public func adding(_ signature: Signature) throws(NoteError) -> SignedNote {
        let others = signatures.filter { $0.keyName != signature.keyName || $0.keyID != signature.keyID }
        return try SignedNote(text: text, signatures: others + [signature])
    }

    /// The note as it is sent and stored: the text, a blank line and the signature lines.
    public var formatted: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Checks that the note carries at least one signature by `verifier`'s key (same name and key id) and that
    /// every such signature verifies. Signatures by other keys are ignored.
    /// - Throws: `NoteError.unsigned` when the key did not sign; `NoteError.invalidSignature` when the text or a
    ///   signature has been changed.
    public func verify(with verifier: NoteVerifier) throws(NoteError) {
        let mine = verifier.key.signatures(in: self)
        guard !mine.isEmpty else { throw .unsigned(key: verifier.label) }
        for signature in mine where !verifier.isValidSignature(signature.bytes, for: text) {
            throw .invalidSignature(key: verifier.label)
        }
    }
}
