import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's file-descriptor limit (`RLIMIT_NOFILE`) and how many connections it leaves room for.
///
/// Every connection holds a descriptor. At the limit `accept` fails (EMFILE) and a connection cannot even be told
/// why, so the daemon raises its soft limit as far as the hard one allows at start, and if that is still too low for
/// `limits.maxConnections` serves fewer, refusing the rest with `ERR OVERLOADED` while descriptors are left to say so.
enum DescriptorLimit {
    /// Descriptors kept free beyond those open at start and the connections: refusals being sent, backups, the
    /// metrics file, reads of `/proc`.
    static let spare = 32

    /// Raises the soft limit towards `connections` more descriptors than are open now (never above the hard limit)
    /// and returns how many connections it leaves room for.
    static func capacity(for connections: Int) -> Int {
        let open = openCount()
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return connections }
        let wanted = rlim_t(clamping: open + spare + connections)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return max(0, Int(clamping: limit.rlim_cur) - open - spare)
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }

    /// The descriptors open now.
    static func openCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
