import Foundation

/// A process's memory from `/proc/PID/status`, in MiB: resident now (all of it, anonymous, and file-backed, which is
/// the LMDB map), and the resident peak.
struct ProcessMemory {
    var rss: Double
    var anonymous: Double
    var file: Double
    var peak: Double

    init?(pid: Int32) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func mebibytes(_ field: String) -> Double? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                let kilobytes = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Double($0) })
            else { return nil }
            return kilobytes / 1024
        }
        guard let rss = mebibytes("VmRSS"), let anonymous = mebibytes("RssAnon"), let file = mebibytes("RssFile"),
            let peak = mebibytes("VmHWM")
        else { return nil }
        (self.rss, self.anonymous, self.file, self.peak) = (rss, anonymous, file, peak)
    }
}
