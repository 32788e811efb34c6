#if canImport(Glibc)
import Glibc
#endif

/// A file, or standard input, read in chunks.
final class InputFile {
    /// How messages name it: the path, or `stdin`.
    let name: String
    /// The size of a regular file (for progress); nil for pipes and terminals.
    let size: Int?
    /// Bytes read so far.
    private(set) var bytesRead = 0
    private let descriptor: Int32

    /// Opens `path`; nil or `-` is standard input.
    /// - Throws: a usage failure when the file cannot be opened.
    init(path: String?) throws(CommandFailure) {
        guard let path, path != "-" else {
            name = "stdin"
            descriptor = 0
            size = nil
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .usage("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        let isRegular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw .usage("\(path) is a directory")
        }
        self.name = path
        self.descriptor = descriptor
        size = isRegular ? Int(info.st_size) : nil
    }

    deinit {
        if descriptor != 0 { close(descriptor) }
    }

    /// Appends up to `count` bytes to `buffer`; false at the end of the input.
    /// - Throws: a usage failure when reading fails.
    func read(into buffer: inout [UInt8], count: Int = 1 << 16) throws(CommandFailure) -> Bool {
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .usage("cannot read \(name): \(String(cString: strerror(errno)))") }
            buffer.append(contentsOf: chunk[..<got])
            bytesRead += got
            return got > 0
        }
    }
}
