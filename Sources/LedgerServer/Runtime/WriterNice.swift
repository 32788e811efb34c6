import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The writer thread's nice value (`storage.writerNice`).
///
/// Every append passes through the single writer in turn, while the event loops and the projection fold work in
/// parallel; on a machine whose cores are busy, a lower nice value lets the writer run as soon as its fsync returns
/// instead of queueing behind them.
enum WriterNice {
    /// Gives the calling thread `nice` (on Linux the nice value belongs to the thread, not the process). A value the
    /// daemon may not take (below its own without RLIMIT_NICE or CAP_SYS_NICE) leaves the thread as it was, with a
    /// warning.
    static func apply(_ nice: Int32, logger: Logger) {
        guard nice != 0 else { return }
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) != 0 else {
            logger.info("writer thread priority set", metadata: ["nice": .stringConvertible(nice)])
            return
        }
        let reason = String(cString: strerror(errno))
        logger.warning(
            "cannot set the writer thread's nice value; it runs at the daemon's priority",
            metadata: [
                "nice": .stringConvertible(nice), "error": "\(reason)",
                "hint": "allow it with systemd's LimitNICE=\(nice) (or CAP_SYS_NICE), or set storage.writerNice to 0",
            ]
        )
    }
}
