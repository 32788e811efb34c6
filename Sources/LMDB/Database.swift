import CLMDB

/// A named database inside an environment. Handles stay valid for the environment's lifetime.
public struct Database: Sendable, Hashable {
    /// LMDB's handle.
    public let handle: MDB_dbi
    /// The database's name.
    public let name: String
}
