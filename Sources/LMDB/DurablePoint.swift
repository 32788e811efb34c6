import DurableFiles

#if canImport(Glibc)
import Glibc
#endif

/// The last state of an environment known to be wholly on disk, kept in a file of its own beside `data.mdb`: the two
/// meta pages as LMDB wrote them at that transaction, and the machine's boot that wrote them.
///
/// An environment whose commits are covered by the caller's own journal (`Environment.Options.durablePointFile`)
/// commits with `MDB_NOSYNC`: its pages reach the disk whenever the kernel writes them, in any order, so after a power
/// cut the newer meta pages may point at pages that never arrived. The pages of the durable point itself stay intact,
/// because a reader pinned at it (`Environment+DurablePoints.swift`) keeps LMDB from reusing them until a later point
/// is saved. Before opening after a crash, the caller writes the saved meta pages back (`restore(into:)`), which
/// returns the file to the durable point; its journal then redoes what came after.
///
/// That is safe only while no other process has the environment open: LMDB keeps the last transaction id in its lock
/// file, and a process holding it would go on reading from the slot of a meta page it no longer holds. Nor is it
/// needed while the machine has not restarted since the point was saved: every write since is in its page cache, so
/// the file is whole as it is.
struct DurablePoint: Sendable, Equatable {
    /// The transaction whose meta pages these are.
    var transaction: UInt64
    /// The Linux boot id when the point was saved (`/proc/sys/kernel/random/boot_id`).
    var boot: String
    /// Pages 0 and 1 of `data.mdb`, two pages of the environment's page size.
    var metaPages: [UInt8]

    private static let magic = Array("LMDBDP02".utf8)
    /// Magic, transaction, boot id (40 bytes, zero-padded), the pages' length and checksum.
    private static let headerBytes = 64

    /// The file's bytes: magic, transaction, boot id, the pages' length, CRC-32C of everything else, the pages.
    var encoded: [UInt8] {
        var bytes = Self.magic
        Self.append(transaction, to: &bytes)
        let boot = Array(self.boot.utf8.prefix(40))
        bytes.append(contentsOf: boot + [UInt8](repeating: 0, count: 40 - boot.count))
        Self.append(UInt64(metaPages.count) << 32, to: &bytes)
        bytes.append(contentsOf: metaPages)
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.bigEndian) { bytes.replaceSubrange(60..<64, with: $0) }
        return bytes
    }

    init(transaction: UInt64, boot: String = Self.currentBoot, metaPages: [UInt8]) {
        self.transaction = transaction
        self.boot = boot
        self.metaPages = metaPages
    }

    /// Decodes a saved point; nil when the bytes are not one whole, unaltered.
    init?(_ bytes: [UInt8]) {
        guard bytes.count > Self.headerBytes, Array(bytes[0..<8]) == Self.magic else { return nil }
        func number(at offset: Int) -> UInt64 {
            bytes[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        let lengthAndCRC = number(at: 56)
        guard lengthAndCRC >> 32 == UInt64(bytes.count - Self.headerBytes) else { return nil }
        var zeroed = bytes
        zeroed.replaceSubrange(60..<64, with: [0, 0, 0, 0])
        guard UInt32(truncatingIfNeeded: lengthAndCRC) == CRC32C.checksum(zeroed) else { return nil }
        self.init(
            transaction: number(at: 8),
            boot: String(decoding: bytes[16..<56].prefix { $0 != 0 }, as: UTF8.self),
            metaPages: Array(bytes[Self.headerBytes...])
        )
    }

    /// This boot of the machine: Linux's random boot id, new at every start (empty where there is none).
    static let currentBoot: String = {
        guard let bytes = try? FileBytes.read("/proc/sys/kernel/random/boot_id", limit: 64) else { return "" }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }()

    /// The transaction of an LMDB meta page (`mm_txnid`, see `DataFileCheck`), nil when the bytes are not one.
    private static func transaction(ofMetaPage page: ArraySlice<UInt8>) -> UInt64? {
        guard page.count >= 152 else { return nil }
        return page.withUnsafeBytes { bytes in
            guard bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self) & 0x08 != 0,
                bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self) == 0xBEEF_C0DE
            else { return nil }
            return bytes.loadUnaligned(fromByteOffset: 144, as: UInt64.self)
        }
    }

    /// Takes the environment for this process alone, as LMDB itself learns whether it is alone
    /// (`mdb_env_excl_lock`): every opener holds a shared `fcntl` lock on the first byte of the lock file, so an
    /// exclusive one is granted only when no other process has the environment open, and keeps any from opening it
    /// until the returned descriptor is closed (-1 when there is no lock file: nobody has it open).
    /// - Returns: nil when another process has it open.
    static func takeAlone(lockFile: String) -> Int32? {
        let descriptor = open(lockFile, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return -1 }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        while true {
            if fcntl(descriptor, F_SETLK, &lock) == 0 { return descriptor }
            if errno != EINTR {
                close(descriptor)
                return nil
            }
        }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reads the saved point at `path`; nil when there is none.
    /// - Throws: `DataFileError.notLMDB` when the file is there but not a whole point (it is only ever replaced whole,
    ///   by rename, so that is damage).
    static func read(_ path: String) throws(DataFileError) -> DurablePoint? {
        let read: [UInt8]?
        do {
            read = try FileBytes.read(path)
        } catch {
            throw .unreadable(path: path, reason: String(cString: strerror(error.code)))
        }
        guard let bytes = read else { return nil }
        guard let point = DurablePoint(bytes) else {
            throw .notLMDB(path: path, reason: "the saved durable point is damaged")
        }
        return point
    }

    /// Saves the point at `path` whole: a temporary file, synced, renamed over it, the directory synced.
    func save(to path: String) throws(FileError) {
        try FileBytes.replace(path, with: encoded)
    }

    /// Writes the saved meta pages back into `dataFile` when its own differ, and syncs them.
    /// Call it only when no other process has the environment open.
    /// - Returns: whether the file was returned to the point.
    /// - Throws: `DataFileError` when `dataFile` is older than the point (another file put in its place: a meta
    ///   page of an earlier transaction and none of a later one), or cannot be written.
    func restore(into dataFile: String) throws(DataFileError) -> Bool {
        let descriptor = open(dataFile, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: dataFile, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var current = [UInt8](repeating: 0, count: metaPages.count)
        let read = current.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard read >= 0 else { throw .unreadable(path: dataFile, reason: String(cString: strerror(errno))) }
        guard read == metaPages.count else {
            throw .notLMDB(
                path: dataFile,
                reason: "it has \(read) bytes, too few for the meta pages of its durable point"
            )
        }
        if current == metaPages { return false }
        // Meta pages only move forward: a file whose newest is older than the point is another file.
        let half = metaPages.count / 2
        let newest = [0, half].compactMap { Self.transaction(ofMetaPage: current[$0..<$0 + half]) }.max()
        if let newest, newest < transaction {
            throw .notLMDB(
                path: dataFile,
                reason: "its newest meta page is of transaction \(newest), older than the durable point saved "
                    + "beside it (\(transaction)): it is not the file the point was taken of; move the directory's "
                    + "durable-point file and journal aside only if it was replaced on purpose"
            )
        }
        let written = metaPages.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == metaPages.count, fdatasync(descriptor) == 0 else {
            throw .unreadable(
                path: dataFile,
                reason: "cannot write its meta pages: \(String(cString: strerror(errno)))"
            )
        }
        return true
    }
}
