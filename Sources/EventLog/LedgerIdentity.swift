import LedgerJSON
import LedgerProofs

/// The identity record kept beside the data, `ledger-identity.json`: which ledger the directory holds and a head it
/// has reached, so that a data file that went missing, was emptied or was replaced is refused at start instead of
/// being served as a different (or empty) history.
///
/// `{"format":1,"ledger":"<uuid>","position":N,"root":"<64 hex>","updated":"<RFC 3339>"}`. The ledger id is also
/// stored in `data.mdb` (`meta/ledger`), so backups carry it. The head is a committed (durable) one, so the data's
/// head is never below it unless the data lost events.
public struct LedgerIdentity: Sendable, Hashable {
    /// The ledger's id: a random UUID (lowercase text) chosen when the ledger was created or first adopted.
    public var ledger: String
    /// A committed head position the data has reached.
    public var position: UInt64
    /// The Merkle root at `position`.
    public var root: MerkleHash

    /// The record's file name inside the data directory.
    public static let fileName = "ledger-identity.json"

    public init(ledger: String, position: UInt64, root: MerkleHash) {
        self.ledger = ledger
        self.position = position
        self.root = root
    }

    /// The record as JSON, with the time it is written.
    func json(updated: String) -> JSONValue {
        [
            "format": 1, "ledger": .string(ledger), "position": .number(.init(Int64(clamping: position))),
            "root": .string(root.description), "updated": .string(updated),
        ]
    }

    /// Reads a record from its JSON object; nil when a field is missing or malformed.
    init?(json: JSONValue) {
        guard json["format"]?.int64Value == 1, let ledger = json["ledger"]?.stringValue, !ledger.isEmpty,
            let position = json["position"]?.int64Value, position >= 0,
            let root = json["root"]?.stringValue.flatMap({ MerkleHash(hex: $0) })
        else { return nil }
        self.init(ledger: ledger, position: UInt64(position), root: root)
    }
}
