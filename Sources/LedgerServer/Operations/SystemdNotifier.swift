#if canImport(Glibc)
import Glibc
#endif

/// The systemd readiness protocol (`sd_notify`) without libsystemd: one datagram to the Unix socket named by
/// `$NOTIFY_SOCKET` (a path, or an abstract name when it starts with `@`).
enum SystemdNotifier {
    /// Sends `state` (such as `READY=1` or `STOPPING=1`); false when `$NOTIFY_SOCKET` is unset or the send failed.
    @discardableResult
    static func notify(_ state: String, socket: String? = environmentSocket) -> Bool {
        guard let socket, !socket.isEmpty else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socket.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
        }
        // An abstract name's length counts exactly its bytes; a path's includes the terminating NUL.
        let pathLength = path.first == 0 ? path.count : path.count + 1
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2) + socklen_t(pathLength)
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                message.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length)
                }
            }
        }
        return sent == message.count
    }

    /// `$NOTIFY_SOCKET`, when systemd (or a test) set it.
    static var environmentSocket: String? {
        getenv("NOTIFY_SOCKET").map { String(cString: $0) }
    }
}
