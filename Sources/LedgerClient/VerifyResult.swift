/// What `VERIFY` checked: the events rehashed and the Merkle root recomputed over the whole log.
public struct VerifyResult: Sendable, Hashable {
    /// How many events were rehashed and matched their stored leaf hashes.
    public var verified: UInt64
    /// The number of events in the log (the tree's size).
    public var size: UInt64
    /// The recomputed Merkle root, in hex.
    public var root: String
}
