#if canImport(Glibc)
import Glibc
#endif

/// Buffered output to a file descriptor (standard output or a file being written).
final class Output {
    private let descriptor: Int32
    private var buffer = [UInt8]()

    /// Output to `descriptor` (1 for standard output).
    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.flushThreshold)
    }

    /// Bytes are written out once this many are buffered.
    static let flushThreshold = 1 << 16

    /// Appends bytes.
    func write(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    /// Appends `text` and a newline.
    func line(_ text: String) {
        write(text.utf8)
        write(CollectionOfOne(UInt8(ascii: "\n")))
    }

    /// Writes out everything buffered; false when the descriptor refused it (a closed pipe, a full disk).
    @discardableResult
    func flush() -> Bool {
        defer { buffer.removeAll(keepingCapacity: true) }
        return Self.writeAll(buffer, to: descriptor)
    }

    /// Writes one line to stderr at once.
    static func error(_ text: String) {
        writeAll(Array((text + "\n").utf8), to: 2)
    }

    /// Writes `text` to stderr at once, without a newline (for progress lines).
    static func errorWithoutNewline(_ text: String) {
        writeAll(Array(text.utf8), to: 2)
    }

    /// Writes one line to stdout at once.
    static func print(_ text: String) {
        writeAll(Array((text + "\n").utf8), to: 1)
    }

    /// Whether stderr is a terminal (progress is shown only there).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    @discardableResult
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
