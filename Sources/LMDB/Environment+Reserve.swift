import CFileSpace
import CLMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Disk blocks reserved past `data.mdb`'s end.
struct Reservation {
    /// Blocks are reserved up to this offset (0 until the first reservation).
    var through = 0
    /// Nil until the filesystem is known; then whether it keeps reserved blocks for the file's writes
    /// (`Environment.keepsReservations`).
    var supported: Bool?
    /// The end of the used pages when the disk last had no room, so that no reservation is tried again until LMDB has
    /// written further.
    var refusedAt: Int?
}

extension Environment {
    /// The least a reservation reaches past what it was asked for, so that most calls make no system call.
    static let reserveStep = 4 << 20
    /// Map room kept beyond a reservation, for what a commit allocates that the caller's bound may not count (the free
    /// list it saves).
    public static let mapMargin = 8 << 20

    /// Makes sure the next commit can add `bytes` past the last committed page without running out of map or disk:
    /// reserves disk blocks for them past `data.mdb`'s end (`fallocate` with `FALLOC_FL_KEEP_SIZE`, so the file keeps
    /// the size LMDB gave it), `reserveStep` further when there is room, and grows the map to hold them and `mapMargin`
    /// more. Call it on the writing thread, outside a write transaction.
    /// - Returns: whether both hold: false when the disk, the filesystem (one that writes elsewhere than the blocks
    ///   reserved, such as btrfs, or without `fallocate`) or `Options.maxMapSize` cannot give them, or `bytes` is
    ///   negative. A commit may still fit; when it does not, it fails as any commit does.
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
        let (mapEnd, outside) = end.addingReportingOverflow(Self.mapMargin)
        guard bytes >= 0, !overflow, !beyond, !outside, mapEnd <= options.maxMapSize,
            mdb_env_get_fd(pointer, &descriptor) == 0
        else { return false }
        let reserved = reservation.withLock { reservation in
            if reservation.supported == nil { reservation.supported = Self.keepsReservations(descriptor) }
            guard reservation.supported == true else { return false }
            guard end > reservation.through else { return true }
            guard reservation.refusedAt != used else { return false }
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
            reservation.refusedAt = used
            return false
        }
        guard reserved else { return false }
        while currentMapSize.load(ordering: .relaxed) < mapEnd {
            do { try grow() } catch { return false }
        }
        return true
    }

    /// Whether the filesystem holding `descriptor` writes a file's pages into the blocks reserved for them: ext4, XFS,
    /// tmpfs, and overlayfs (whose upper layer is usually one of them). Copy-on-write and log-structured filesystems
    /// (btrfs, ZFS, F2FS) allocate anew at every write, so a reservation does not keep a write from finding them full.
    private static func keepsReservations(_ descriptor: Int32) -> Bool {
        var info = statfs()
        guard fstatfs(descriptor, &info) == 0 else { return false }
        let kinds: Set<Int> = [
            Int(EXT4_SUPER_MAGIC), Int(XFS_SUPER_MAGIC), Int(TMPFS_MAGIC), Int(OVERLAYFS_SUPER_MAGIC),
        ]
        return kinds.contains(Int(info.f_type))
    }
}
