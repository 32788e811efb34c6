/// How the daemon signs checkpoints (the `checkpoints` section of the configuration file).
public struct CheckpointSettings: Sendable {
    /// The signing key file `ledgerd keygen` wrote; nil: checkpoints are not signed and `CHECKPOINT` answers
    /// `"note":null`.
    public var keyFile: String?
    /// The checkpoints' origin line; nil: the signing key's name (`ledgerd keygen --name`, by default
    /// `<hostname>/commissioning-ledger`).
    public var origin: String?
    /// The daemon signs the head at most this often while it moves, unless `everyEvents` come sooner.
    public var everySeconds = 60.0
    /// The daemon signs the head as soon as it has moved this many events past the last signed checkpoint.
    public var everyEvents = 10_000

    public init() {}

    /// Applies the `checkpoints` section of the configuration file.
    /// - Throws: `ConfigurationError` naming the key.
    mutating func apply(_ section: ConfigReader) throws(ConfigurationError) {
        try section.expectKeys(["keyFile", "origin", "everySeconds", "everyEvents"])
        if let value = try section.string("keyFile") { keyFile = value }
        if let value = try section.string("origin") { origin = value }
        if let value = try section.seconds("everySeconds") { everySeconds = value }
        if let value = try section.integer("everyEvents", in: 1...1_000_000_000) { everyEvents = value }
    }
}
