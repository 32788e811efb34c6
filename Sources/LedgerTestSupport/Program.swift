import Foundation

/// Runs other programs for tests (`mount`, `ops/install`, `ledgerd keygen`, `setpriv`, ...) and waits for them.
///
/// What they print goes to files, not pipes, so a program that prints more than a pipe holds cannot block on a
/// reader that is waiting for it to exit.
public enum Program {
    /// How a run ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status (or the signal's number when `killed`).
        public var status: Int32
        /// Whether a signal ended it.
        public var killed: Bool
        /// stdout, followed by stderr unless that was kept apart (`errors`).
        public var output: String
        /// stderr, when kept apart from `output`.
        public var errors: String

        /// `output`'s lines.
        public var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// Runs `executable` with `arguments`.
    /// - Parameters:
    ///   - withStandardError: put stderr in `output` after stdout (true) or apart, in `errors` (false).
    ///   - environment: variables added to (or replacing) this process's environment.
    ///   - input: what the program reads on stdin (nothing: an empty stdin).
    ///   - currentDirectory: where it runs (default: this process's working directory).
    public static func run(
        _ executable: String,
        _ arguments: [String],
        withStandardError: Bool = true,
        environment: [String: String] = [:],
        input: String = "",
        currentDirectory: String? = nil
    ) throws -> Outcome {
        let directory = try TemporaryDirectory(prefix: "program")
        let stdout = directory.appending("stdout")
        let stderr = directory.appending("stderr")
        for path in [stdout, stderr] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
        process.standardError = FileHandle(forWritingAtPath: stderr)
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        // A program that exits without reading its input has closed the pipe: writing then fails with EPIPE (the
        // non-throwing `write(_:)` would trap), and the outcome says what happened.
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let printed = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
        return Outcome(
            status: process.terminationStatus,
            killed: process.terminationReason == .uncaughtSignal,
            output: withStandardError ? printed + errors : printed,
            errors: withStandardError ? "" : errors
        )
    }
}
