import Crypto

/// The note signing keys of a log, as text: what `ledgerd keygen` writes.
public enum KeyFile {
    /// Makes a new random Ed25519 key named `name` (by convention the log's origin).
    /// - Returns: `privateKey`, the one-line text for the daemon's key file
    ///   (`PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`; write it with mode 0600), and `publicKey`, the
    ///   verifier key text for auditors (`<name>+<hex id>+<base64(0x01 || public key)>`).
    /// - Throws: `NoteError.malformedKey` when `name` is not a valid key name.
    public static func generate(name: String) throws(NoteError) -> (privateKey: String, publicKey: String) {
        let signer = try CheckpointSigner(
            name: name,
            privateKey: Array(Curve25519.Signing.PrivateKey().rawRepresentation)
        )
        return (signer.privateKeyText, signer.verifier.text)
    }
}
