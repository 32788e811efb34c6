import Foundation
import LedgerTestSupport

/// Runs a peer's own programs (servers and benchmark tools) for `ledger-bench peers`.
enum PeerProcess {
    /// The executable `name` on `PATH` (or in one of `extra`), nil when there is none.
    static func find(_ name: String, extra: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + extra
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `executable` with `arguments`, its output discarded.
    static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `executable` to its end (as `user` through `runuser` when given) and returns what it printed; throws when
    /// it fails.
    @discardableResult
    static func output(_ executable: String, _ arguments: [String], as user: String? = nil) throws -> String {
        let outcome =
            try user.map { try Program.run("/usr/sbin/runuser", ["-u", $0, "--", executable] + arguments) }
            ?? Program.run(executable, arguments)
        guard outcome.status == 0, !outcome.killed else {
            throw PeerFailure("\((executable as NSString).lastPathComponent) failed: \(outcome.output.suffix(400))")
        }
        return outcome.output
    }

    /// Runs a program that leaves a server running (`pg_ctl start`) through the shell, its output discarded, and
    /// waits for it alone: the server would inherit (and hold open for ever) what a `Process` watches its child by.
    static func detaching(_ executable: String, _ arguments: [String], as user: String?) throws {
        let words = (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [executable] + arguments
        let command = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let status = system(command + " </dev/null >/dev/null 2>&1")
        guard status == 0 else {
            throw PeerFailure("\((executable as NSString).lastPathComponent) failed (status \(status))")
        }
    }

    /// Waits until `ready` holds (polling every 50 ms), up to 20 s.
    static func wait(for what: String, until ready: () -> Bool) throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !ready() {
            guard ContinuousClock.now < deadline else { throw PeerFailure("\(what) did not start within 20 s") }
            usleep(50_000)
        }
    }

    /// A new empty directory for a peer's files, beside the ledgers the bench starts (the same disk).
    static func directory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "ledger-bench-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A peer that could not be measured: a program that failed or printed no figure.
struct PeerFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
