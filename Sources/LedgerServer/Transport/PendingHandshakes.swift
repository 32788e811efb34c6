import NIOCore
import Synchronization

/// TLS connections whose handshake is not done yet, by address: at most `tls.maxPendingHandshakes` in all and
/// `tls.maxPendingPerAddress` per address (an IPv6 /64 counting as one address, since one host may hold all of it).
/// They are kept apart from the connections served, so that clients that never finish a handshake cannot take the
/// places of local peers, nor of certificates mapped to `ops`.
final class PendingHandshakes: Sendable {
    private let maxTotal: Int
    private let maxPerAddress: Int
    private let state = Mutex((total: 0, byAddress: [String: Int]()))

    init(_ settings: TLSSettings) {
        maxTotal = settings.maxPendingHandshakes
        maxPerAddress = settings.maxPendingPerAddress
    }

    /// Takes a place for a connection from `key` (`key(of:)`); the configuration key of the limit it hit when there
    /// is none.
    func begin(_ key: String) -> String? {
        state.withLock { state in
            if state.total >= maxTotal { return "tls.maxPendingHandshakes" }
            if state.byAddress[key, default: 0] >= maxPerAddress { return "tls.maxPendingPerAddress" }
            state.total += 1
            state.byAddress[key, default: 0] += 1
            return nil
        }
    }

    /// Gives back the place `begin(key)` took.
    func end(_ key: String) {
        state.withLock { state in
            precondition(state.total > 0, "a pending handshake ends once")
            state.total -= 1
            let left = state.byAddress[key, default: 1] - 1
            state.byAddress[key] = left > 0 ? left : nil
        }
    }

    /// The address a limit counts `address` under: the IPv4 address, or the /64 of an IPv6 one.
    static func key(of address: SocketAddress?) -> String {
        switch address {
        case .v6(let v6):
            let prefix = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
            return prefix.map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
        case .some(let other):
            return other.ipAddress ?? "unknown"
        case nil:
            return "unknown"
        }
    }
}
