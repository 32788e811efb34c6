/// A configuration file that cannot be used; the message names the key.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The dotted key (for example `limits.maxLineBytes`), or empty for the file as a whole.
    public var key: String
    /// What is wrong.
    public var message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "configuration: \(message)" : "configuration key \(key): \(message)"
    }
}
