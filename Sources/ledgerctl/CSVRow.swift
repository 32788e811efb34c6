import LedgerClient

/// RFC 4180 rows for `ledgerctl export --format csv`.
enum CSVRow {
    /// The header row.
    static let header = "position,stream,version,id,type,recorded,data,meta"

    /// One event's row; data and meta as canonical JSON.
    static func row(_ event: LedgerEvent) -> String {
        [
            String(event.position), event.stream, String(event.version), event.id, event.type, event.recorded,
            event.data.canonicalString, event.meta.canonicalString,
        ].map(field).joined(separator: ",")
    }

    /// A field, quoted (with quotes doubled) when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
