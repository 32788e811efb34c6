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
        let directory = try TemporaryDirectory(prefix: "ledgerctl-run")
        let (process, stdoutPath, stderrPath) = try launch(
            arguments,
            socket: socket,
            uid: uid,
            environment: environment,
            directory: directory,
            executable: executable
        )
        let pipe = Pipe()
        process.standardInput = pipe
        try process.run()
        // A ledgerctl that fails before reading its input has closed it: writing then fails with EPIPE (the
        // non-throwing `write(_:)` would trap), and the outcome below says what happened.
        try? pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        )
    }

    /// A `ledgerctl` left running (for `tail`), writing stdout to `stdoutPath`.
    final class Running {
        let process: Process
        let stdoutPath: String
        private let directory: TemporaryDirectory

        init(_ arguments: [String], socket: String) throws {
            directory = try TemporaryDirectory(prefix: "ledgerctl-run")
            (process, stdoutPath, _) = try launch(
                arguments,
                socket: socket,
                uid: nil,
                environment: [:],
                directory: directory
            )
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
        socket: String?,
        uid: UInt32?,
        environment: [String: String],
        directory: TemporaryDirectory,
        executable: String = binary
    ) throws -> (Process, String, String) {
        let stdoutPath = directory.appending("stdout")
        let stderrPath = directory.appending("stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        let fullArguments = arguments + (socket.map { ["--socket", $0] } ?? [])
        if let uid {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--groups=0", executable] + fullArguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = fullArguments
        }
        var variables = ProcessInfo.processInfo.environment
        variables["LEDGER_SOCKET"] = nil
        variables.merge(environment) { $1 }
        process.environment = variables
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        return (process, stdoutPath, stderrPath)
    }
}
