/// A named Ed25519 public key of one signed-note signature type, as C2SP verifier keys write it:
/// `<name>+<hex key id>+<base64(type || 32-byte public key)>`. The log's keys are type 0x01, witnesses' 0x04.
struct NoteKey: Sendable, Hashable {
    let name: String
    let type: UInt8
    /// `SHA-256(name || 0x0A || type || publicKey)[:4]`, big-endian.
    let keyID: UInt32
    let publicKey: [UInt8]

    /// - Throws: `NoteError.malformedKey` for an invalid name or a key that is not 32 bytes.
    init(name: String, type: UInt8, publicKey: [UInt8]) throws(NoteError) {
        guard NoteFormat.isValidName(name) else {
            throw .malformedKey("the key name must be non-empty, without spaces or +")
        }
        guard publicKey.count == 32 else { throw .malformedKey("an Ed25519 public key has 32 bytes") }
        self.name = name
        self.type = type
        self.publicKey = publicKey
        keyID = NoteFormat.keyID(name: name, type: type, publicKey: publicKey)
    }

    /// Parses a verifier key text of `type`; surrounding whitespace is ignored. `what` names the key in errors.
    /// - Throws: `NoteError.malformedKey` when the text is not such a key or its key id does not match.
    init(parsing text: String, type: UInt8, what: String) throws(NoteError) {
        let (name, key) = try NoteFormat.parseKey(text.trimmingASCIIWhitespace(), type: type, what: what) {
            name,
            key throws(NoteError) in try NoteKey(name: name, type: type, publicKey: key).keyID
        }
        try self.init(name: name, type: type, publicKey: key)
    }

    /// The verifier key text.
    var text: String { "\(name)+\(NoteFormat.hex(keyID))+\(Base64.encode([type] + publicKey))" }

    /// The `name+id` label errors use.
    var label: String { "\(name)+\(NoteFormat.hex(keyID))" }

    /// The note's signatures by this key (same name and key id).
    func signatures(in note: SignedNote) -> [SignedNote.Signature] {
        note.signatures.filter { $0.keyName == name && $0.keyID == keyID }
    }
}
