#if canImport(Glibc)
import Glibc
#endif

extension LMDBError {
    /// An I/O error on the volume holding `path`.
    public static let inputOutput = LMDBError(rawValue: EIO)

    /// Below this many free bytes, an I/O error on a volume is taken for a full one.
    public static let fullVolumeBytes: UInt64 = 64 << 20

    /// This error, or `diskFull` when it is an I/O error on a volume with almost no space left: LMDB reports a short
    /// write, which is what a full disk gives it, as `EIO`, and a full disk is the operator's to fix, not a fault.
    func classified(writing path: String) -> LMDBError {
        guard self == .inputOutput, let free = Self.freeBytes(onVolumeOf: path), free < Self.fullVolumeBytes else {
            return self
        }
        return .diskFull
    }

    /// The bytes an unprivileged process may still write on the volume holding `path`.
    static func freeBytes(onVolumeOf path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize)).partialValue
    }
}
