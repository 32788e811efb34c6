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

    /// Runs `executable` with `arguments`, blocking this thread until it exits.
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
        let launch = try Launch(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        try launch.start(input: input)
        launch.process.waitUntilExit()
        return launch.outcome(withStandardError: withStandardError)
    }

    /// Runs `executable` like `run`, but awaits its exit instead of blocking a thread: async tests share the few
    /// threads of Swift's cooperative pool, and a test that holds one for long (waiting for programs) starves the
    /// others.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        withStandardError: Bool = true,
        environment: [String: String] = [:],
        input: String = "",
        currentDirectory: String? = nil
    ) async throws -> Outcome {
        let launch = try Launch(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        return try await withCheckedThrowingContinuation { continuation in
            launch.process.terminationHandler = { _ in
                continuation.resume(returning: launch.outcome(withStandardError: withStandardError))
            }
            do {
                try launch.start(input: input)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// A program set up to run, its output going to files in a directory of its own.
    private final class Launch: @unchecked Sendable {
        let process = Process()
        let directory: TemporaryDirectory
        let stdin = Pipe()

        init(
            _ executable: String,
            _ arguments: [String],
            environment: [String: String],
            currentDirectory: String?
        ) throws {
            directory = try TemporaryDirectory(prefix: "program")
            for name in ["stdout", "stderr"] {
                _ = FileManager.default.createFile(atPath: directory.appending(name), contents: nil)
            }
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
            process.standardOutput = FileHandle(forWritingAtPath: directory.appending("stdout"))
            process.standardError = FileHandle(forWritingAtPath: directory.appending("stderr"))
            process.standardInput = stdin
        }

        /// Starts the program and gives it `input`.
        func start(input: String) throws {
            try process.run()
            // A program that exits without reading its input has closed the pipe: writing then fails with EPIPE (the
            // non-throwing `write(_:)` would trap), and the outcome says what happened.
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }

        /// What the exited program printed, and how it ended.
        func outcome(withStandardError: Bool) -> Outcome {
            let printed = (try? String(contentsOfFile: directory.appending("stdout"), encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOfFile: directory.appending("stderr"), encoding: .utf8)) ?? ""
            return Outcome(
                status: process.terminationStatus,
                killed: process.terminationReason == .uncaughtSignal,
                output: withStandardError ? printed + errors : printed,
                errors: withStandardError ? "" : errors
            )
        }
    }
}
