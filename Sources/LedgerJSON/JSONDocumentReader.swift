/// Parses documents one after another into `JSONDocument`s, reusing one buffer for the index while each is built, so
/// that each document takes a single allocation (its index and its bytes together).
public struct JSONDocumentReader {
    private var nodes: [JSONDocument.Node] = []

    public init() {}

    /// Parses exactly one JSON value, with optional surrounding whitespace; the document keeps a copy of `bytes`.
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer,
        limits: JSONParser.Limits = .default
    ) throws(JSONError) -> JSONDocument {
        try bytes.withMemoryRebound(to: UInt8.self) { (bytes) throws(JSONError) in
            try JSONParser.documentNodes(bytes, limits: limits, into: &nodes)
            return nodes.withUnsafeBufferPointer { JSONDocument.make(bytes: bytes, nodes: $0) }
        }
    }
}
