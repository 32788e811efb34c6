import Glibc

/// A blocking Unix-socket connection that reads reply lines, trapping when the service stops answering.
struct FuzzConnection {
    /// How long the service may take to answer one input before the fuzzer reports a hang.
    static let answerSeconds = 20

    private let descriptor: Int32
    private var buffer = [UInt8]()
    private(set) var isClosed = false

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Connects to `path`, retrying for a few seconds while the service starts.
    static func open(_ path: String) -> FuzzConnection {
        for _ in 0..<500 {
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { fatalError("socket: \(errno)") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8.prefix($0.count - 1)) }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 {
                var timeout = timeval(tv_sec: answerSeconds, tv_usec: 0)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                return FuzzConnection(descriptor: descriptor)
            }
            Glibc.close(descriptor)
            usleep(10_000)
        }
        fatalError("the service does not accept connections on \(path)")
    }

    /// Writes all of `bytes`; false when the service has closed the connection.
    mutating func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else {
                isClosed = true
                return false
            }
            offset += written
        }
        return true
    }

    /// The next reply line without its LF; nil once the service has closed the connection.
    mutating func readLine() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                fatalError("no answer within \(Self.answerSeconds) s")
            } else {
                isClosed = true
                return nil
            }
        }
    }

    mutating func close() {
        Glibc.close(descriptor)
        isClosed = true
    }

    /// The reply keywords of protocol v1.
    private static let keywords = ["PONG", "OK ", "EVENT ", "END ", "LIVE ", "ROW ", "ERR "]

    /// Traps unless `reply` is a protocol reply that no request may provoke as a failure of the server.
    static func check(_ reply: [UInt8], after line: ArraySlice<UInt8>) {
        let request = String(decoding: line.prefix(200), as: UTF8.self)
        guard keywords.contains(where: { reply.starts(with: $0.utf8) }) else {
            fatalError("not a protocol reply to \"\(request)\": \(String(decoding: reply.prefix(200), as: UTF8.self))")
        }
        for failure in ["ERR INTERNAL ", "ERR SHUTTING_DOWN "] where reply.starts(with: failure.utf8) {
            fatalError("\"\(request)\" was answered \(String(decoding: reply.prefix(300), as: UTF8.self))")
        }
    }
}
