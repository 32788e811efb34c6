import Foundation

/// What `/proc` says about a process: its resident memory and the CPU time it has used.
struct ProcessStatus {
    /// Resident memory (`VmRSS`) in MiB.
    let residentMiB: Double
    /// Of that, the anonymous memory (`RssAnon`: the heap, not the LMDB map's file pages) in MiB.
    let anonymousMiB: Double
    /// User plus system CPU time in clock ticks (1/100 s on Linux).
    let cpuTicks: Int

    init(pid: Int32) throws {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func mebibytes(_ field: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return (line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
        }
        residentMiB = mebibytes("VmRSS")
        anonymousMiB = mebibytes("RssAnon")
        // The fields after the parenthesised command name; utime and stime are fields 14 and 15.
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        cpuTicks = fields.count > 12 ? (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0) : 0
    }
}
