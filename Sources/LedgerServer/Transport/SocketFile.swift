#if canImport(Glibc)
import Glibc
#endif

/// Checks and cleans up the socket path around the server's lifetime.
enum SocketFile {
    /// Makes sure `path` can be bound: absent, or a stale socket nobody answers on (which is removed).
    /// - Throws: `StartupError.socketInUse` when a live server answers there or the path is not a socket.
    static func prepare(_ path: String) throws(StartupError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw .socketInUse("\(path) exists and is not a socket; remove it or choose another --socket")
        }
        if isLive(path) {
            throw .socketInUse("another server is listening on \(path); stop it or choose another --socket")
        }
        unlink(path)
    }

    /// Sets the socket file's permissions.
    static func setMode(_ path: String, _ mode: UInt32) {
        chmod(path, mode_t(mode))
    }

    /// Removes the socket file if it is still ours (a socket).
    static func remove(_ path: String) {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK {
            unlink(path)
        }
    }

    /// True when something accepts connections on the socket at `path`.
    private static func isLive(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
