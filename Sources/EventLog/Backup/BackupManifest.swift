import LedgerJSON

/// What `manifest.json` in a backup directory records: the copy's head and Merkle root, read from the copy itself
/// after it was made, so they describe exactly the events it holds.
public struct BackupManifest: Sendable, Hashable {
    /// The backup's name (its directory's name).
    public var name: String
    /// The head position of the copy (its Merkle tree size).
    public var position: UInt64
    /// The Merkle root over positions 1...position, as 64 lowercase hex digits.
    public var root: String
    /// When the copy was made (UTC, RFC 3339).
    public var created: String
    /// The server that made it, such as `ledgerd 0.1.0`.
    public var server: String
    /// The size of the copied `data.mdb` in bytes.
    public var bytes: Int

    /// The manifest's file name inside a backup directory.
    public static let fileName = "manifest.json"
    /// The LMDB data file's name inside a backup directory.
    public static let dataFileName = "data.mdb"

    public init(name: String, position: UInt64, root: String, created: String, server: String, bytes: Int) {
        self.name = name
        self.position = position
        self.root = root
        self.created = created
        self.server = server
        self.bytes = bytes
    }

    /// The manifest as a JSON object.
    public var json: JSONValue {
        [
            "name": .string(name), "position": .number(.init(position)), "root": .string(root),
            "created": .string(created), "server": .string(server), "bytes": .number(.init(bytes)), "format": 1,
        ]
    }

    /// Reads a manifest from its JSON object.
    /// - Throws: `BackupError.badManifest` naming the missing or malformed field.
    public init(json: JSONValue) throws(BackupError) {
        func text(_ key: String) throws(BackupError) -> String {
            guard let value = json[key]?.stringValue else { throw .badManifest("\(key) is missing or not a string") }
            return value
        }
        func number(_ key: String) throws(BackupError) -> Int64 {
            guard let value = json[key]?.int64Value, value >= 0 else {
                throw .badManifest("\(key) is missing or not a non-negative integer")
            }
            return value
        }
        guard json["format"]?.int64Value == 1 else { throw .badManifest("format is not 1") }
        self.init(
            name: try text("name"),
            position: UInt64(try number("position")),
            root: try text("root"),
            created: try text("created"),
            server: try text("server"),
            bytes: Int(try number("bytes"))
        )
    }
}
