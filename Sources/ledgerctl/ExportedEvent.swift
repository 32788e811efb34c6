import LedgerJSON

/// One line of an NDJSON export, as `ledgerctl import` needs it.
struct ExportedEvent {
    /// Why a line is not an exported event.
    struct Invalid: Error {
        var reason: String
    }

    let position: UInt64
    let stream: String
    let version: UInt64
    /// The event as an import appends it: `{"id","type","data","meta","recorded"}`, keeping the original recorded
    /// time so that the imported bytes, and so the Merkle root, are the exported ones.
    let proposed: JSONValue

    init(_ json: JSONValue) throws(Invalid) {
        guard let position = json["position"]?.int64Value, position > 0 else { throw Invalid(reason: "no position") }
        guard let stream = json["stream"]?.stringValue else { throw Invalid(reason: "no stream") }
        guard let version = json["version"]?.int64Value, version > 0 else { throw Invalid(reason: "no version") }
        var proposed = [String: JSONValue]()
        for key in ["id", "type", "data", "meta", "recorded"] {
            guard let value = json[key] else { throw Invalid(reason: "no \(key)") }
            proposed[key] = value
        }
        self.position = UInt64(position)
        self.stream = stream
        self.version = UInt64(version)
        self.proposed = .object(proposed)
    }
}
