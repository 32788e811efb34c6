import Foundation
import LedgerTestSupport
import Testing

/// Prometheus's `promtool`, from Debian's `prometheus` package, which `ops/install-deps` installs.
enum Promtool {
    /// The executable on `PATH`.
    /// - Throws: when it is not installed, saying how to install it.
    static func path() throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for directory in directories + ["/usr/bin"]
        where FileManager.default.isExecutableFile(atPath: "\(directory)/promtool") {
            return "\(directory)/promtool"
        }
        throw LineClient.Failure(
            description: "promtool is missing: run ops/install-deps (it installs Debian's prometheus package)"
        )
    }

    /// `promtool check metrics` on `text` (read from stdin); its exit status and everything it printed.
    static func checkMetrics(_ text: String, in directory: TemporaryDirectory) throws -> (status: Int32, output: String)
    {
        let input = directory.appending("promtool-input.prom")
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = ["check", "metrics"]
        process.standardInput = FileHandle(forReadingAtPath: input)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `promtool ARGUMENTS...`; its exit status and everything it printed.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outcome = try Program.run(try path(), arguments)
        return (outcome.status, outcome.output)
    }
}
