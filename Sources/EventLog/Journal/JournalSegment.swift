import DurableFiles

#if canImport(Glibc)
import Glibc
#endif

/// One journal segment file: a 64-byte header (magic `LDGJRNL1`, the ledger id's length and bytes, zeros), then
/// records (`JournalRecord`) up to the space preallocated for them.
final class JournalSegment {
    let path: String
    /// The position of its first record.
    let first: UInt64
    private let descriptor: Int32

    static let headerBytes = 64
    private static let magic = Array("LDGJRNL1".utf8)

    /// The journal directory of a data directory.
    static func directory(in dataDirectory: String) -> String { "\(dataDirectory)/journal" }

    private init(path: String, first: UInt64, descriptor: Int32) {
        self.path = path
        self.first = first
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Creates the segment for records from `first` on (replacing a file of that name), with its header and first
    /// allocation synced, and the directory synced so that the file stays.
    static func create(
        in directory: String,
        first: UInt64,
        ledger: String,
        mode: UInt32
    ) throws(FileError) -> JournalSegment {
        if mkdir(directory, 0o700) != 0, errno != EEXIST { throw FileError("cannot create \(directory)") }
        let path = "\(directory)/\(name(first))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw FileError("cannot create \(path)") }
        let segment = JournalSegment(path: path, first: first, descriptor: descriptor)
        var header = magic
        let id = Array(ledger.utf8.prefix(headerBytes - 12))
        withUnsafeBytes(of: UInt32(id.count).bigEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: id)
        header.append(contentsOf: repeatElement(0, count: headerBytes - header.count))
        try segment.allocate(Journal.allocationStep, from: 0)
        try segment.write(header, at: 0)
        try segment.sync()
        try FileBytes.syncDirectory(of: path)
        return segment
    }

    /// The file name of the segment starting at `first`: the position in 20 digits, so names sort as positions do.
    static func name(_ first: UInt64) -> String {
        let digits = String(first)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".journal"
    }

    /// Makes the file `size` bytes long by writing zeros from `end` (its size now) on: blocks written once, so that
    /// a record's sync later flushes only its own pages (an allocation that leaves them unwritten, as `fallocate`
    /// does, makes each record's sync convert them too: 17 µs more per sync on the development VM).
    func allocate(_ size: Int, from end: Int) throws(FileError) {
        var offset = end
        while offset < size {
            let count = min(Self.zeros.count, size - offset)
            try FileBytes.writeAll(
                count == Self.zeros.count ? Self.zeros : Array(Self.zeros[..<count]),
                to: descriptor,
                at: offset,
                path: path
            )
            offset += count
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 64 << 10)

    func write(_ bytes: [UInt8], at offset: Int) throws(FileError) {
        try FileBytes.writeAll(bytes, to: descriptor, at: offset, path: path)
    }

    func sync() throws(FileError) {
        guard fdatasync(descriptor) == 0 else { throw FileError("cannot flush \(path)") }
    }

    /// A segment file found in a journal directory.
    struct Found: Sendable, Equatable {
        let path: String
        let first: UInt64
    }

    /// The segment files in `directory`, by first position; none when it does not exist.
    static func list(in directory: String) throws(FileError) -> [Found] {
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw FileError("cannot list \(directory)")
        }
        defer { closedir(stream) }
        var found = [Found]()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".journal"), name.count == 28, let first = UInt64(name.prefix(20)) else { continue }
            found.append(Found(path: "\(directory)/\(name)", first: first))
        }
        return found.sorted { $0.first < $1.first }
    }

    /// Whether `bytes` begin with a segment header naming `ledger`.
    static func hasHeader(_ bytes: UnsafeRawBufferPointer, ledger: String) -> Bool {
        guard bytes.count >= headerBytes, bytes.prefix(8).elementsEqual(magic) else { return false }
        let length = Int(JournalRecord.load32(bytes, at: 8))
        return length <= headerBytes - 12 && bytes[12..<12 + length].elementsEqual(ledger.utf8)
    }
}
