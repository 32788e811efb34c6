/// What `BACKUP` wrote: a compacted copy of the log and its manifest in the daemon's backup directory.
public struct BackupResult: Sendable, Hashable {
    /// The backup's name.
    public var name: String
    /// The backup directory on the daemon's machine.
    public var path: String
    /// The head position of the copy.
    public var position: UInt64
    /// The Merkle root of the copy, in hex.
    public var root: String
    /// The size of the copied data file in bytes.
    public var bytes: UInt64
}
