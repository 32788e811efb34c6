import Foundation

/// A blocking protocol-v1 client over a Unix-domain socket, for tests: send lines, read reply lines with a
/// timeout. Deliberately independent of the server's code.
public final class LineClient {
    /// Something went wrong talking to the daemon.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The socket; -1 once closed (a throwing init has closed it, and deinit must not close a reused number).
    public private(set) var descriptor: Int32
    /// Received bytes; those before `start` have been returned already.
    private var buffer = [UInt8]()
    private var start = 0
    /// What one `recv` reads into, kept between calls.
    private var chunk = [UInt8](repeating: 0, count: 65536)

    /// Connects to the socket at `path`.
    public init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(descriptor)
            descriptor = -1
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            descriptor = -1
            throw Failure(description: "connect \(path): \(message)")
        }
    }

    deinit {
        close()
    }

    /// Closes the socket at once, without a word to the server (a client that goes).
    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Sends raw bytes.
    public func send(bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// Sends `text` followed by LF.
    public func send(_ text: String) throws {
        try send(bytes: Array((text + "\n").utf8))
    }

    /// Half-closes the connection for writing.
    public func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// The next reply line (without LF), or nil when the server closed the connection.
    /// - Throws: `Failure` when nothing arrives within `timeout` seconds.
    public func readLine(timeout: Double = 10) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = bufferedLine() { return line }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure(description: "no reply within \(timeout) s") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            let received = receive()
            // A signal (or a spurious wake-up) is not the end of the connection.
            if received < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if received <= 0 {
                if buffer.isEmpty { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return line
            }
        }
    }

    /// The complete lines already received plus those one `recv` brings (call when `descriptor` is readable, so it
    /// does not block); nil once the server has closed the connection.
    public func receivedLines() -> [String]? {
        let count = receive()
        guard count > 0 else { return count < 0 && (errno == EAGAIN || errno == EINTR) ? [] : nil }
        var lines = [String]()
        while let line = bufferedLine() { lines.append(line) }
        return lines
    }

    /// The next complete line in the buffer, if there is one.
    private func bufferedLine() -> String? {
        guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: buffer[start..<newline], as: UTF8.self)
        start = newline + 1
        return line
    }

    /// One `recv` into the buffer, after dropping what was already returned (so a long stream of lines costs linear
    /// time); returns what `recv` returned.
    private func receive() -> Int {
        buffer.removeFirst(start)
        start = 0
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { buffer.append(contentsOf: chunk[..<count]) }
        return count
    }

    /// Reads lines until (and including) one starting with `END`, `ERR` or `OK`.
    public func readSequence(timeout: Double = 10) throws -> [String] {
        var lines = [String]()
        while let line = try readLine(timeout: timeout) {
            lines.append(line)
            if line.hasPrefix("END ") || line.hasPrefix("ERR ") || line.hasPrefix("OK ") { break }
        }
        return lines
    }

    /// Sends one request and returns its single reply line.
    public func request(_ text: String, timeout: Double = 10) throws -> String {
        try send(text)
        guard let line = try readLine(timeout: timeout) else {
            throw Failure(description: "the server closed the connection after \(text.prefix(60))")
        }
        return line
    }
}
