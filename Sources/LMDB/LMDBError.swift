import CLMDB

#if canImport(Glibc)
import Glibc
#endif

/// An error returned by liblmdb (or by the operating system through it), described by `mdb_strerror`.
///
/// `MDB_NOTFOUND` never surfaces as an error: lookups return `nil` instead.
public struct LMDBError: Error, Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    /// The C return code: an `MDB_*` constant or an `errno` value.
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The library's own message for this code.
    public var description: String {
        guard let message = mdb_strerror(rawValue) else { return "LMDB error \(rawValue)" }
        return String(cString: message)
    }

    /// The memory map is full; the environment grows it and retries the write.
    public static let mapFull = LMDBError(rawValue: MDB_MAP_FULL)
    /// A key passed with `noOverwrite` already exists, or a key passed with `append` is not greater than the last.
    public static let keyExists = LMDBError(rawValue: MDB_KEYEXIST)
    /// The environment's file system is out of space.
    public static let diskFull = LMDBError(rawValue: ENOSPC)
    /// The disk quota is exhausted (treated like a full disk).
    public static let quotaExceeded = LMDBError(rawValue: EDQUOT)
    /// The data directory does not exist.
    public static let noSuchFile = LMDBError(rawValue: ENOENT)
    /// The file is not an LMDB environment.
    public static let invalid = LMDBError(rawValue: MDB_INVALID)

    /// True when the write failed because storage is exhausted: the disk, the quota, or a map at its maximum.
    public var isStorageFull: Bool {
        self == .diskFull || self == .quotaExceeded || self == .mapFull
    }
}

/// Converts an LMDB return code into a thrown `LMDBError`.
@inline(__always)
func check(_ code: Int32) throws(LMDBError) {
    if code != MDB_SUCCESS {
        throw LMDBError(rawValue: code)
    }
}
