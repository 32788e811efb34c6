#if canImport(Glibc)
import Glibc
#endif

/// Small files read and replaced whole, the replacement durable before it is visible.
public enum FileBytes {
    /// The bytes of the file at `path` (at most `limit`), or nil when there is none.
    /// - Throws: `FileError` when it is there but cannot be read.
    public static func read(_ path: String, limit: Int = 1 << 20) throws(FileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw FileError("cannot read \(path)")
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while bytes.count <= limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw FileError("cannot read \(path)") }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }

    /// Replaces the file at `path` atomically: a temporary file written and flushed, renamed over it, then its
    /// directory flushed.
    /// - Parameter mode: the new file's permissions.
    /// - Throws: `FileError` naming the step and path; the file at `path` is then as it was.
    public static func replace(_ path: String, with bytes: [UInt8], mode: UInt32 = 0o600) throws(FileError) {
        let temporary = path + ".partial"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw FileError("cannot create \(temporary)") }
        do throws(FileError) {
            try writeAll(bytes, to: descriptor, at: 0, path: temporary)
            guard fsync(descriptor) == 0 else { throw FileError("cannot flush \(temporary)") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = FileError("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        try syncDirectory(of: path)
    }

    /// Writes all of `bytes` at `offset` (retrying short writes and interruptions).
    /// - Throws: `FileError` naming `path`.
    public static func writeAll(
        _ buffer: UnsafeRawBufferPointer,
        to descriptor: Int32,
        at offset: Int,
        path: String
    ) throws(FileError) {
        var done = 0
        while done < buffer.count {
            let count = pwrite(
                descriptor,
                buffer.baseAddress.map { $0 + done },
                buffer.count - done,
                off_t(offset + done)
            )
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw FileError("cannot write \(path)", code: count == 0 ? ENOSPC : errno) }
            done += count
        }
    }

    /// Writes all of `bytes` at `offset`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, at offset: Int, path: String) throws(FileError)
    {
        let failure = bytes.withUnsafeBytes { (buffer) -> FileError? in
            do throws(FileError) {
                try writeAll(buffer, to: descriptor, at: offset, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Flushes the directory holding `path`, so that a file created or renamed in it stays after a power cut.
    public static func syncDirectory(of path: String) throws(FileError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError("cannot open \(directory)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileError("cannot flush \(directory)") }
    }
}
