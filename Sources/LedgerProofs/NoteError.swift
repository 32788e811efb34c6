/// Why a signed note, a key or a checkpoint was refused.
public enum NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text breaks the signed-note format.
    case malformedNote(String)
    /// A key text or key breaks the note key format, or its key id does not match its name and key.
    case malformedKey(String)
    /// The note text is not a tlog checkpoint.
    case malformedCheckpoint(String)
    /// The note carries no signature by the verifier's key.
    case unsigned(key: String)
    /// A signature by the verifier's key does not verify: the text or the signature has been changed.
    case invalidSignature(key: String)
    /// The Ed25519 implementation refused to sign.
    case signingFailed(String)

    public var description: String {
        switch self {
        case .malformedNote(let message): "malformed signed note: \(message)"
        case .malformedKey(let message): "malformed note key: \(message)"
        case .malformedCheckpoint(let message): "malformed checkpoint: \(message)"
        case .unsigned(let key): "the note has no signature by \(key)"
        case .invalidSignature(let key): "the signature by \(key) does not verify"
        case .signingFailed(let message): "cannot sign: \(message)"
        }
    }
}
