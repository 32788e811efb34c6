import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The daemon process's CPU time and resident memory, for `process_cpu_seconds_total` and
/// `process_resident_memory_bytes` (the names Prometheus's own process collectors use).
struct ProcessUsage: Sendable {
    /// User plus system CPU time of every thread so far.
    var cpuSeconds: Double
    /// Resident memory, file-backed pages of the LMDB map included.
    var residentBytes: Int

    /// The figures now.
    static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        // The second field of /proc/self/statm is the resident size in pages.
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return ProcessUsage(
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            residentBytes: pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        )
    }
}
