import LedgerProofs

/// The daemon's answer to `CHECKPOINT`: a tree size, its root and the signed note, all unverified.
///
/// Trust nothing here until the note verifies with the log's verifier key
/// (`Checkpoint(verifying:with:)`), and then take the size and root from the verified note.
public struct ServerCheckpoint: Sendable, Hashable {
    /// The tree size the daemon says this is.
    public var size: UInt64
    /// The root the daemon says the tree of `size` events has.
    public var root: MerkleHash
    /// The signed note (C2SP signed-note text), or nil when the daemon has no signing key.
    public var note: String?
}
