import CFallocate
import CLMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Disk blocks reserved past `data.mdb`'s end.
struct Reservation {
    /// Blocks are reserved up to this offset (0 until the first reservation).
    var through = 0
    /// False once the filesystem refused `FALLOC_FL_KEEP_SIZE`: nothing can be reserved.
    var supported = true
}

extension Environment {
    /// The least a reservation reaches past what it was asked for, so that most calls make no system call.
    static let reserveStep = 4 << 20

    /// Makes sure the next commit can add `bytes` past the last committed page without running out of map or disk:
    /// grows the map when it would not hold them, and reserves disk blocks for them past `data.mdb`'s end (`fallocate`
    /// with `FALLOC_FL_KEEP_SIZE`, so the file keeps the size LMDB gave it), `reserveStep` further when there is room.
    /// Call it on the writing thread, outside a write transaction.
    /// - Returns: whether both hold: false when the disk, the filesystem or `Options.maxMapSize` cannot give them (the
    ///   commit may still fit; when it does not, it fails as any commit does).
    public func reserve(_ bytes: Int) -> Bool {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        var descriptor: mdb_filehandle_t = -1
        resizeLock.withShared {
            mdb_env_info(pointer, &info)
            mdb_env_stat(pointer, &stat)
        }
        let (used, overflow) = (info.me_last_pgno + 1).multipliedReportingOverflow(by: Int(stat.ms_psize))
        let (end, beyond) = used.addingReportingOverflow(bytes)
        guard !overflow, !beyond, mdb_env_get_fd(pointer, &descriptor) == 0 else { return false }
        while currentMapSize.load(ordering: .relaxed) < end {
            do { try grow() } catch { return false }
        }
        return reservation.withLock { reservation in
            guard end > reservation.through else { return true }
            guard reservation.supported else { return false }
            for target in [end.addingReportingOverflow(Self.reserveStep).partialValue, end] where target >= end {
                if fallocate(descriptor, FALLOC_FL_KEEP_SIZE, off_t(used), off_t(target - used)) == 0 {
                    reservation.through = target
                    return true
                }
                if errno == EOPNOTSUPP || errno == ENOSYS {
                    reservation.supported = false
                    return false
                }
            }
            return false
        }
    }
}
