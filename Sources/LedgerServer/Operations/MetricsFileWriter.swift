import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Rewrites a Prometheus text file for node_exporter's textfile collector every few seconds, atomically (a
/// temporary file beside it, made mode 0644 whatever the umask, then `rename`), and once more on shutdown.
public struct MetricsFileWriter: Service, CustomStringConvertible {
    /// The file's mode: node_exporter runs as another user and must read it.
    static let mode: mode_t = 0o644

    let path: String
    let interval: Duration
    let render: @Sendable () async -> String
    let logger: Logger
    public var description: String { "metrics file \(path)" }

    /// - Parameters:
    ///   - path: the file to rewrite; node_exporter reads files ending in `.prom` (on Debian, in
    ///     `/var/lib/prometheus/node-exporter`).
    ///   - interval: how often to rewrite it.
    ///   - render: produces the file's contents.
    public init(path: String, interval: Duration, logger: Logger, render: @escaping @Sendable () async -> String) {
        self.path = path
        self.interval = interval
        self.render = render
        self.logger = logger
    }

    public func run() async {
        var failing = false
        while true {
            let written = write(await render())
            if !written, !failing {
                logger.warning("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(errno)"])
            }
            failing = !written
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Writes `text` to a temporary file and renames it over `path`; false on any failure.
    func write(_ text: String) -> Bool {
        let temporary = "\(path).tmp.\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Self.mode)
        guard descriptor >= 0 else { return false }
        // The umask (ledgerd's own while it binds its socket, or the unit's) may have taken read access away.
        guard fchmod(descriptor, Self.mode) == 0 else {
            close(descriptor)
            unlink(temporary)
            return false
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        close(descriptor)
        guard offset == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
