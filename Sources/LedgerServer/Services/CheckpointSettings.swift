import LedgerJSON
import LedgerProofs

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
    /// More signing key files: each signs every checkpoint too, so notes carry one signature line per key. For a
    /// rotation's overlap (ops/RUNBOOK.md, "Rotate the signing key"); needs `keyFile`.
    public var additionalKeyFiles: [String] = []
    /// The witnesses whose cosignatures `COSIGN` accepts (their verifier keys, signature type 0x04); a cosignature is
    /// stored with the checkpoint it cosigns and served as an extra signature line of its note.
    public var witnesses: [CosignatureVerifier] = []

    public init() {}

    /// Applies the `checkpoints` section of the configuration file.
    /// - Throws: `ConfigurationError` naming the key.
    mutating func apply(_ section: ConfigReader) throws(ConfigurationError) {
        try section.expectKeys(["keyFile", "additionalKeyFiles", "origin", "everySeconds", "everyEvents", "witnesses"])
        if let value = try section.string("keyFile") { keyFile = value }
        if let value = try section.string("origin") { origin = value }
        if let value = try section.seconds("everySeconds") { everySeconds = value }
        if let value = try section.integer("everyEvents", in: 1...1_000_000_000) { everyEvents = value }
        if let value = section.object["additionalKeyFiles"] {
            guard let paths = value.arrayValue?.compactMap(\.stringValue), paths.count == value.arrayValue?.count,
                paths.allSatisfy({ !$0.isEmpty }), paths.count <= 8
            else {
                throw ConfigurationError(key: section.key("additionalKeyFiles"), "must be an array of at most 8 paths")
            }
            additionalKeyFiles = paths
        }
        if let value = section.object["witnesses"] {
            witnesses = try Self.witnesses(value, key: section.key("witnesses"))
        }
    }

    /// The witnesses' verifier keys of `checkpoints.witnesses`: an array of key texts with distinct names.
    private static func witnesses(_ value: JSONValue, key: String) throws(ConfigurationError) -> [CosignatureVerifier] {
        // With the key and at most 8 additional keys, a note keeps within SignedNote.maximumSignatures lines.
        guard let items = value.arrayValue, items.count <= 90 else {
            throw ConfigurationError(key: key, "must be an array of at most 90 witness verifier keys")
        }
        var witnesses = [CosignatureVerifier]()
        for (index, item) in items.enumerated() {
            let verifier: CosignatureVerifier
            do {
                verifier = try CosignatureVerifier(parsing: item.stringValue ?? "")
            } catch {
                throw ConfigurationError(
                    key: "\(key)[\(index)]",
                    "must be a witness verifier key (the .pub of ledgerctl witness keygen): \(error)"
                )
            }
            guard !witnesses.contains(where: { $0.name == verifier.name }) else {
                throw ConfigurationError(key: "\(key)[\(index)]", "names witness \(verifier.name) a second time")
            }
            witnesses.append(verifier)
        }
        return witnesses
    }
}
