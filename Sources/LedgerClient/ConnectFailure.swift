import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Readable reasons for failed connections.
enum ConnectFailure {
    /// Why connecting failed, in words an operator can act on.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            let text = String(cString: strerror(error.errnoCode))
            switch error.errnoCode {
            case ENOENT: return "\(text) (is ledgerd running? set --socket or LEDGER_SOCKET)"
            case ECONNREFUSED: return "\(text) (no ledgerd is listening on this socket)"
            case EACCES:
                return "\(text) (this user may not open the socket: it needs a role, such as membership of the group "
                    + "ledger-readers; see ops/RUNBOOK.md, Access)"
            default: return text
            }
        }
        if let error = error as? SocketAddressError, case .unixDomainSocketPathTooLong = error {
            return "the path is too long for a Unix-domain socket"
        }
        return "\(error)"
    }
}
