import Foundation
import LedgerTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client to 127.0.0.1, for the metrics HTTP endpoint: raw bytes out, everything until the server
/// closes in.
final class TCPClient {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw LineClient.Failure(description: "connect 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends `text` as it is.
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else {
                throw LineClient.Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Everything received until the server closes the connection.
    /// - Throws: when the server has not closed it within `timeout` seconds.
    func readToEnd(timeout: Double = 10) throws -> String {
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                throw LineClient.Failure(description: "not closed within \(timeout) s: \(received.count) bytes")
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return String(decoding: received, as: UTF8.self) }
            received += chunk[..<count]
        }
    }

    /// Whether the server closed the connection without sending anything, within `seconds`.
    func wasClosed(within seconds: Double) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_PEEK)) == 0
    }

    /// One request with `method` for `path`, answered and closed by the server.
    static func request(_ method: String, _ path: String, port: Int) throws -> HTTPResponse {
        let client = try TCPClient(port: port)
        try client.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: ledgerd-tests\r\n\r\n")
        return try HTTPResponse(try client.readToEnd())
    }
}

/// An HTTP/1.1 response as the metrics endpoint sends it (headers, then a body of `Content-Length` bytes).
struct HTTPResponse {
    var status: Int
    /// Header values by lowercased name.
    var headers: [String: String]
    var body: String

    init(_ text: String) throws {
        guard let split = text.range(of: "\r\n\r\n") else {
            throw LineClient.Failure(description: "no complete response head: \(text.prefix(200))")
        }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw LineClient.Failure(description: "bad status line: \(lines.first ?? "")")
        }
        self.status = status
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        self.headers = headers
        body = String(text[split.upperBound...])
    }
}
