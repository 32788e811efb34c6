#if canImport(Glibc)
import Glibc
#endif

/// A file operation that failed: what was being done, and the system's error number.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, naming the path ("cannot flush /var/lib/ledger/journal/...").
    public var action: String
    /// The `errno` the system call left.
    public var code: Int32

    /// Captures `errno` now, for `action`.
    public init(_ action: String, code: Int32 = errno) {
        self.action = action
        self.code = code
    }

    /// Whether the disk or the user's quota is full.
    public var isStorageFull: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String { "\(action): \(String(cString: strerror(code)))" }
}
