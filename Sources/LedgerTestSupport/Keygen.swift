import Foundation

/// Runs `ledgerd keygen` from the build directory, as an operator would.
public enum Keygen {
    /// What one run printed and how it exited.
    public struct Outcome {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `ledgerd keygen --key-file keyFile [--name name]` and waits for it.
    public static func run(keyFile: String, name: String? = nil) throws -> Outcome {
        let arguments = ["keygen", "--key-file", keyFile] + (name.map { ["--name", $0] } ?? [])
        let outcome = try Program.run(DaemonProcess.binary, arguments, withStandardError: false)
        return Outcome(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    /// Creates a key named `name` in `directory` and a config file signing with it every `everyEvents` events
    /// (and at most every `everySeconds`).
    /// - Returns: the key file, the config file and the verifier key text.
    public static func signingConfig(
        in directory: TemporaryDirectory,
        name: String,
        everyEvents: Int = 10_000,
        everySeconds: Int = 3600
    ) throws -> (keyFile: String, config: String, publicKey: String) {
        let keyFile = directory.appending("signing.key")
        let outcome = try run(keyFile: keyFile, name: name)
        guard outcome.status == 0 else {
            throw LineClient.Failure(description: "ledgerd keygen failed: \(outcome.stderr)")
        }
        let config = directory.appending("signing.json")
        let json =
            #"{"checkpoints":{"keyFile":"\#(keyFile)","everyEvents":\#(everyEvents),"everySeconds":\#(everySeconds)}}"#
        try json.write(toFile: config, atomically: true, encoding: .utf8)
        return (keyFile, config, outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
