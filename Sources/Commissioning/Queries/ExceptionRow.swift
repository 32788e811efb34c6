import LedgerJSON

/// One exception `audit exceptions` lists: its kind, the commissioner it concerns and its row, listed in the order of
/// the event it points to.
public struct ExceptionRow: Sendable, Equatable {
    /// The position of the event the exception points to: the answer lists exceptions in log order.
    public let position: UInt64
    public let kind: String
    public let commissioner: String
    let row: JSONValue

    init(kind: String, commissioner: String, stream: String, stamp: Stamp, detail: String) {
        position = stamp.position
        self.kind = kind
        self.commissioner = commissioner
        row = [
            "kind": .string(kind), "commissioner": .string(commissioner), "stream": .string(stream),
            "position": .int(Int64(clamping: stamp.position)), "event": .string(stamp.id), "detail": .string(detail),
        ]
    }

    /// The row's JSON, as a `ROW` line holds it.
    public var json: [UInt8] {
        var bytes = [UInt8]()
        row.write(to: &bytes)
        return bytes
    }
}

/// An exception row as a read model stores it: its kind, its commissioner and its JSON.
public struct StoredExceptionRow: Sendable, Equatable {
    public let kind: String
    public let commissioner: String
    public let json: [UInt8]

    /// The stored form of `row`.
    public static func stored(_ row: ExceptionRow) -> [UInt8] {
        var writer = StoredBytes.Writer()
        writer.text(row.kind)
        writer.text(row.commissioner)
        writer.bytes += row.json
        return writer.bytes
    }

    /// What `stored(_:)` wrote; nil when `bytes` are not such a row.
    public init?(stored bytes: UnsafeRawBufferPointer) {
        var reader = StoredBytes.Reader(bytes)
        guard let kind = reader.text(), let commissioner = reader.text(), !reader.remaining.isEmpty else { return nil }
        self.kind = kind
        self.commissioner = commissioner
        json = Array(reader.remaining)
    }
}
