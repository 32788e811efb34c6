import Foundation

/// Runs other programs for tests (`mount`, `ops/install`, `ledgerd keygen`, ...).
public enum Program {
    /// Runs `executable` with `arguments` and waits for it; returns its exit status and what it wrote on stdout and,
    /// when `withStandardError`, stderr too.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        withStandardError: Bool = true
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if withStandardError { process.standardError = pipe }
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
