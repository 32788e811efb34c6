#if canImport(Glibc)
import Glibc
#endif

/// Where the metrics HTTP endpoint or the TLS listener listens: `HOST:PORT` with a numeric host (`127.0.0.1`, `0.0.0.0`, `[::1]`) and a
/// port from 0 to 65535 (0: any free port, which the log names).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IPv4 or IPv6 address, without brackets.
    public var host: String
    public var port: Int

    /// Parses `text`, naming `key` (`metrics.address`, `--metrics-address` or `tls.listen`) in the error.
    /// - Throws: `ConfigurationError` when it is not `HOST:PORT` with a numeric host and a port up to 65535.
    public init(_ text: String, key: String) throws(ConfigurationError) {
        let usage =
            "must be HOST:PORT with a numeric host, such as 127.0.0.1:9464 or [::1]:9464, got \"\(text.prefix(64))\""
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ConfigurationError(key: key, usage)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard Self.isNumeric(host) else { throw ConfigurationError(key: key, usage) }
        self.host = host
        self.port = Int(port)
    }

    /// `HOST:PORT`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Whether `host` is an IPv4 or IPv6 address in numeric form.
    private static func isNumeric(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }
}
