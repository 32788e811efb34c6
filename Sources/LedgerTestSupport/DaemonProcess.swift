import Foundation

/// A real `ledgerd` started from the build directory on a temporary data directory and socket.
public final class DaemonProcess {
    /// The temporary directory holding the data directory, socket and log.
    public let directory: TemporaryDirectory
    public let dataDirectory: String
    public let socketPath: String
    /// Where the daemon's stderr goes.
    public let logPath: String
    /// The executable started (by default `DaemonProcess.binary`).
    public let executable: String
    /// Variables added to the daemon's environment (for example `NOTIFY_SOCKET`).
    public var environment: [String: String] = [:]
    private var process: Process?

    /// The `ledgerd` binary next to the running test bundle (or `LEDGERD` from the environment).
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["LEDGERD"] { return path }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("ledgerd")
    }

    /// Prepares the directories (world-traversable, so clients under other uids can reach the socket).
    /// - Parameters:
    ///   - dataDirectory: a data directory kept elsewhere (default: `data` in `directory`).
    ///   - executable: the `ledgerd` to run, such as an installed one (default `DaemonProcess.binary`).
    public init(
        directory: TemporaryDirectory? = nil,
        dataDirectory: String? = nil,
        executable: String = DaemonProcess.binary
    ) throws {
        self.executable = executable
        self.directory = try directory ?? TemporaryDirectory(prefix: "ledgerd")
        chmod(self.directory.path, 0o755)
        self.dataDirectory = dataDirectory ?? self.directory.appending("data")
        socketPath = self.directory.appending("ledgerd.sock")
        logPath = self.directory.appending("ledgerd.log")
    }

    /// Starts the daemon and waits until it answers `PING`.
    /// - Parameter arguments: extra flags (for example `--config FILE`).
    public func start(_ arguments: [String] = [], timeout: Double = 20) throws {
        let process = try launch(arguments)
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw LineClient.Failure(description: "ledgerd exited with \(process.terminationStatus): \(log)")
            }
            if let client = try? LineClient(path: socketPath), (try? client.request("PING", timeout: 2)) == "PONG" {
                return
            }
            usleep(20_000)
        }
        throw LineClient.Failure(description: "ledgerd did not start within \(timeout) s: \(log)")
    }

    /// Writes `configuration` (JSON) to `config.json` in the daemon's directory and starts it with `--config` and
    /// `arguments`.
    public func start(configuration: String, _ arguments: [String] = []) throws {
        let path = directory.appending("config.json")
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        try start(["--config", path] + arguments)
    }

    /// Runs the daemon expecting it to refuse to start; returns its exit code. A daemon that is still running after
    /// `timeout` seconds (it started after all) is killed, and the test sees the status of a SIGKILL.
    public func runExpectingFailure(_ arguments: [String] = [], timeout: Double = 20) throws -> Int32 {
        let process = try launch(arguments)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// How a daemon expected to refuse to start ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this code.
        case exited(Int32)
        /// A signal (such as `SIGBUS`) killed it.
        case killed(signal: Int32)
        /// It was still running after the timeout (it started instead of refusing) and was killed.
        case keptRunning
    }

    /// Runs the daemon expecting it to refuse to start, for at most `timeout` seconds; returns how it ended.
    public func runToEnd(_ arguments: [String] = [], timeout: Double = 20) throws -> Ending {
        let process = try launch(arguments)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return .keptRunning
        }
        if process.terminationReason == .uncaughtSignal { return .killed(signal: process.terminationStatus) }
        return .exited(process.terminationStatus)
    }

    private func launch(_ arguments: [String]) throws -> Process {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = ["--data-dir", dataDirectory, "--socket", socketPath] + arguments
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A new client connection.
    public func connect() throws -> LineClient {
        try LineClient(path: socketPath)
    }

    /// Sends a signal (default SIGTERM) and waits up to `timeout` seconds; returns the exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Double = 30) -> Int32? {
        guard let process else { return nil }
        defer { self.process = nil }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// Whether the daemon is still running.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// The running daemon's process id.
    public var processIdentifier: Int32? { process.map(\.processIdentifier) }

    /// What the daemon has logged so far.
    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
