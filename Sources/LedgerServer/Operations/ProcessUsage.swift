import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The daemon process's CPU time, resident memory and start time, for `process_cpu_seconds_total`,
/// `process_resident_memory_bytes` and `process_start_time_seconds` (the names Prometheus's own process collectors use).
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

    /// The Unix time the process started: its start in clock ticks after boot (field 22 of `/proc/self/stat`) plus
    /// the boot time (`btime` in `/proc/stat`); the time this is first read if either cannot be read.
    static let startTime: Double = {
        let stat = (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) ?? ""
        // The fields after the parenthesised command name start with field 3, the state.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let boot = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        guard fields.count > 19, let started = Double(fields[19]), let boot, ticks > 0 else {
            return Date().timeIntervalSince1970
        }
        return boot + started / Double(ticks)
    }()
}
