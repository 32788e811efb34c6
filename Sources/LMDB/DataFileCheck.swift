#if canImport(Glibc)
import Glibc
#endif

/// Checks an LMDB data file (`data.mdb`) against its own meta pages before anything maps it.
///
/// LMDB maps the file and trusts the newer of its two meta pages: a page it refers to that is not in the file kills the
/// process with `SIGBUS` when it is read. The file must hold every page up to that meta's last page number, except
/// pages on LMDB's free list: a page freed in the transaction that allocated it is counted in `mm_last_pg` but never
/// written, so a sound file is often a few pages short (seen in most transactions that free pages), and such pages are
/// found in the free-list tree (`DataFileCheck+FreePages.swift`). `Environment` runs this check before
/// `mdb_env_open`, so every opener of an environment gets it.
///
/// The layout read is that of lmdb 0.9's `mdb.c` on 64-bit builds (stable across 0.9 releases, native byte order):
/// pages 0 and 1 each begin with a 16-byte page header whose `mp_flags` (`UInt16` at byte 10) holds `P_META` (0x08),
/// followed by `MDB_meta`: `mm_magic` (0xBEEFC0DE) at byte 16, `mm_version` (1) at 20, the page size
/// (`mm_dbs[FREE_DBI].md_pad`, `UInt32`) at 40, the free list's root page (`mm_dbs[FREE_DBI].md_root`) at 80,
/// `mm_last_pg` at 136 and `mm_txnid` at 144. Page 1 starts one page
/// size (read from page 0) into the file, as LMDB's own `mdb_env_read_header` reads it.
public enum DataFileCheck {
    /// What the data file holds.
    public enum Contents: Sendable, Equatable {
        /// There is no file: opening the environment creates a new one.
        case absent
        /// The file is empty: LMDB writes new meta pages into it.
        case empty
        /// The file holds every page its newer meta page needs.
        case sound(Meta)
    }

    /// The newer of the two meta pages.
    public struct Meta: Sendable, Equatable {
        /// LMDB's page size for this file, in bytes.
        public var pageSize: Int
        /// The last page in use (`mm_last_pg`).
        public var lastPage: UInt64
        /// The transaction that wrote this meta page (`mm_txnid`).
        public var transaction: UInt64
        /// The bytes the file must hold: `(lastPage + 1) * pageSize`, less the free pages at its end.
        public var neededBytes: Int
        /// The root page of the free-list tree (`UInt64.max` when the list is empty).
        var freeRoot: UInt64
    }

    /// Bytes read from the start of each meta page: the page header and `MDB_meta` up to `mm_txnid`.
    static let metaBytes = 152
    private static let metaFlag: UInt16 = 0x08
    private static let magic: UInt32 = 0xBEEF_C0DE
    private static let dataVersion: UInt32 = 1

    /// Reads the meta pages of the data file at `path` (two `pread`s, nothing mapped or created) and checks its size.
    /// - Throws: `DataFileError.truncated` when the file is shorter than its newer meta page needs,
    ///   `.notLMDB` when a meta page is missing or malformed, `.unreadable` when the file cannot be read.
    public static func check(_ path: String) throws(DataFileError) -> Contents {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .absent }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let size = Int(info.st_size)
        return try check(path: path, size: size) { offset, length throws(DataFileError) in
            var buffer = [UInt8](repeating: 0, count: length)
            var filled = 0
            while filled < length {
                let count = buffer[filled...].withUnsafeMutableBytes {
                    pread(descriptor, $0.baseAddress, $0.count, off_t(offset + filled))
                }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
                if count == 0 { break }
                filled += count
            }
            return Array(buffer[..<filled])
        }
    }

    /// The check itself, on a file of `size` bytes whose bytes `read(offset, count)` returns (fewer at the end of the
    /// file). Pure apart from `read`.
    /// - Throws: `DataFileError.truncated` or `.notLMDB` (naming `path`), or what `read` throws.
    static func check(
        path: String,
        size: Int,
        read: (Int, Int) throws(DataFileError) -> [UInt8]
    ) throws(DataFileError) -> Contents {
        guard size > 0 else { return .empty }
        let first = try meta(try read(0, metaBytes), page: 0, path: path, size: size)
        let second = try meta(try read(first.pageSize, metaBytes), page: 1, path: path, size: size)
        let newer = second.transaction > first.transaction ? second : first
        guard size >= newer.neededBytes else {
            guard try missingPagesAreFree(newer, size: size, read: read) else {
                throw .truncated(path: path, size: size, meta: newer)
            }
            return .sound(newer)
        }
        return .sound(newer)
    }

    /// Parses one meta page's header; `bytes` are what the file holds from the page's start.
    private static func meta(_ bytes: [UInt8], page: Int, path: String, size: Int) throws(DataFileError) -> Meta {
        guard bytes.count == metaBytes else {
            if page == 0 {
                throw .notLMDB(path: path, reason: "it has \(size) bytes, fewer than an LMDB meta page")
            }
            throw .notLMDB(path: path, reason: "it has \(size) bytes and ends inside its second meta page")
        }
        func load<Value: FixedWidthInteger>(_ offset: Int, as type: Value.Type) -> Value {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
        }
        guard load(10, as: UInt16.self) & metaFlag != 0, load(16, as: UInt32.self) == magic else {
            throw .notLMDB(path: path, reason: "page \(page) is not an LMDB meta page")
        }
        let version = load(20, as: UInt32.self)
        guard version == dataVersion else {
            throw .notLMDB(path: path, reason: "page \(page) has LMDB data version \(version), not \(dataVersion)")
        }
        let pageSize = Int(load(40, as: UInt32.self))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw .notLMDB(path: path, reason: "page \(page) gives a page size of \(pageSize) bytes")
        }
        let lastPage = load(136, as: UInt64.self)
        let pages = lastPage.addingReportingOverflow(1)
        let bytesNeeded = pages.partialValue.multipliedReportingOverflow(by: UInt64(pageSize))
        guard !pages.overflow, !bytesNeeded.overflow, lastPage >= 1, bytesNeeded.partialValue <= UInt64(Int.max) else {
            throw .notLMDB(path: path, reason: "page \(page) gives an impossible last page \(lastPage)")
        }
        return Meta(
            pageSize: pageSize,
            lastPage: lastPage,
            transaction: load(144, as: UInt64.self),
            neededBytes: Int(bytesNeeded.partialValue),
            freeRoot: load(80, as: UInt64.self)
        )
    }
}
