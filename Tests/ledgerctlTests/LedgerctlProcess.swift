import Foundation
import LedgerTestSupport

/// Runs the built `ledgerctl` as a subprocess, the way an operator would.
enum LedgerctlProcess {
    /// What one run printed and how it exited.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout's lines.
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `ledgerctl` binary next to the running test bundle (or `LEDGERCTL` from the environment).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["LEDGERCTL"] { return path }
        return ((DaemonProcess.binary as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("ledgerctl")
    }

    /// Runs `ledgerctl arguments` with `--socket socket` (when given) and `input` on stdin, waiting for it to exit.
    /// - Parameters:
    ///   - uid: runs it under this uid and gid with `setpriv` (the caller must be root), a member of the socket's
    ///     group (root's, 0) only, as an operator grants access: by the group, never by the socket's mode.
    ///   - executable: the `ledgerctl` to run, such as an installed one (default `binary`).
    static func run(
        _ arguments: [String],
        socket: String?,
        input: String = "",
        uid: UInt32? = nil,
        environment: [String: String] = [:],
        executable: String = binary
    ) throws -> Outcome {
        let (command, environment, directory) = try prepare(arguments, socket, uid, environment, executable)
        let outcome = try Program.run(
            command[0],
            Array(command.dropFirst()),
            withStandardError: false,
            environment: environment,
            input: input,
            currentDirectory: directory.path
        )
        return Outcome(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    /// Runs `ledgerctl` as the blocking `run` does, awaiting its exit instead of holding a thread of the cooperative
    /// pool (for async tests that run it many times or for long).
    static func run(
        _ arguments: [String],
        socket: String?,
        input: String = "",
        uid: UInt32? = nil,
        environment: [String: String] = [:],
        executable: String = binary
    ) async throws -> Outcome {
        let (command, environment, directory) = try prepare(arguments, socket, uid, environment, executable)
        let outcome = try await Program.run(
            command[0],
            Array(command.dropFirst()),
            withStandardError: false,
            environment: environment,
            input: input,
            currentDirectory: directory.path
        )
        return Outcome(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    /// The command line, its environment and a fresh working directory for a run.
    private static func prepare(
        _ arguments: [String],
        _ socket: String?,
        _ uid: UInt32?,
        _ environment: [String: String],
        _ executable: String
    ) throws -> ([String], [String: String], TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "ledgerctl-run")
        let command = [executable] + arguments + (socket.map { ["--socket", $0] } ?? [])
        let asUser = uid.map { ["/usr/bin/setpriv", "--reuid=\($0)", "--regid=\($0)", "--groups=0"] } ?? []
        // An empty LEDGER_SOCKET is no LEDGER_SOCKET: the test runner's own does not leak in (nor its COLUMNS).
        return (asUser + command, ["LEDGER_SOCKET": "", "COLUMNS": ""].merging(environment) { $1 }, directory)
    }

    /// A `ledgerctl` left running (for `tail`), writing stdout to `stdoutPath`.
    final class Running {
        let process: Process
        let stdoutPath: String
        private let directory: TemporaryDirectory

        init(_ arguments: [String], socket: String) throws {
            directory = try TemporaryDirectory(prefix: "ledgerctl-run")
            (process, stdoutPath) = try LedgerctlProcess.launch(arguments, socket: socket, directory: directory)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// stdout's lines so far.
        var lines: [String] {
            ((try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// Waits up to `timeout` seconds until stdout has at least `count` lines.
        func waitForLines(_ count: Int, timeout: Double = 20) -> [String] {
            let deadline = Date().addingTimeInterval(timeout)
            while lines.count < count, Date() < deadline { usleep(20_000) }
            return lines
        }

        /// Interrupts it (SIGINT) and waits for it to exit.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGINT) }
            process.waitUntilExit()
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    private static func launch(
        _ arguments: [String],
        socket: String,
        directory: TemporaryDirectory
    ) throws -> (Process, String) {
        let stdoutPath = directory.appending("stdout")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + ["--socket", socket]
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LEDGER_SOCKET" }
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle.nullDevice
        return (process, stdoutPath)
    }
}
