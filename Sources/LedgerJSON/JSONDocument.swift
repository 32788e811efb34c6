/// One parsed JSON text kept as its bytes and a flat index of its values, for reading a few fields of many documents
/// (stored events, replayed by the projections) without building a tree of dictionaries: a value becomes a Swift
/// string, number or array only when it is read.
///
/// It accepts exactly what `JSONParser.parse` accepts and refuses the rest with the same errors; `root.value` is the
/// tree that `parse` builds.
public final class JSONDocument: Sendable {
    /// One value of the document, in document order: an array's elements follow it, and an object's members follow
    /// it as each key's string node followed by the value's nodes.
    struct Node: Sendable {
        enum Kind: UInt8, Sendable {
            case null, falseValue, trueValue, number
            /// A string of ASCII characters without escapes.
            case string
            /// A string without escapes, with non-ASCII characters.
            case unicodeString
            /// A string with escapes.
            case escapedString
            case array, object
        }

        let kind: Kind
        /// Scalars: where the literal (the content, for strings) starts. Containers: the number of elements or members.
        private let first: UInt32
        /// Scalars: where the literal (the content, for strings) ends. Containers: the index of the node after the
        /// container's last descendant.
        private let last: UInt32

        init(kind: Kind, range: Range<Int>) {
            self.kind = kind
            first = UInt32(truncatingIfNeeded: range.lowerBound)
            last = UInt32(truncatingIfNeeded: range.upperBound)
        }

        init(kind: Kind, count: Int, next: Int) {
            self.kind = kind
            first = UInt32(truncatingIfNeeded: count)
            last = UInt32(truncatingIfNeeded: next)
        }

        /// A scalar's bytes (a string's content, between its quotes).
        var range: Range<Int> { Int(first)..<Int(last) }
        /// A container's number of elements or members.
        var count: Int { Int(first) }

        /// The index of the node after this one (at `index`) and its descendants.
        func next(at index: Int) -> Int { kind == .array || kind == .object ? Int(last) : index + 1 }
    }

    let bytes: [UInt8]
    let nodes: [Node]

    /// Parses exactly one JSON value, with optional surrounding whitespace.
    public init(parsing bytes: [UInt8], limits: JSONParser.Limits = .default) throws(JSONError) {
        let nodes = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in try JSONParser.documentNodes(buffer, limits: limits) }
        }
        self.bytes = bytes
        self.nodes = try nodes.get()
    }

    /// The document's value.
    public var root: JSONNode { JSONNode(document: self, index: 0) }

    /// The text of the string node at `index`.
    func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { JSONParser.string(of: nodes[index], in: $0) }
    }

    /// The index of the value of member `name` of the object at `object`; nil for a missing key or a non-object.
    func member(_ name: String, of object: Int) -> Int? {
        name.withASCIIBytes { ascii in
            withStorage { nodes, bytes in
                let container = nodes[object]
                guard container.kind == .object else { return nil }
                var key = object + 1
                for _ in 0..<container.count {
                    if Self.key(nodes[key], in: bytes, is: name, asciiUTF8: ascii) { return key + 1 }
                    key = nodes[key + 1].next(at: key + 1)
                }
                return nil
            }
        }
    }

    /// Whether the node at `object` is an object whose keys are all among `known`.
    func isObject(at object: Int, withKeysIn known: JSONKeys) -> Bool {
        withStorage { nodes, bytes in
            let container = nodes[object]
            guard container.kind == .object else { return false }
            var key = object + 1
            for _ in 0..<container.count {
                let node = nodes[key]
                let isKnown =
                    known.allASCII && node.kind == .string
                    ? known.containsASCII(UnsafeBufferPointer(rebasing: bytes[node.range]))
                    : known.contains(JSONParser.string(of: node, in: bytes))
                guard isKnown else { return false }
                key = nodes[key + 1].next(at: key + 1)
            }
            return true
        }
    }

    /// Calls `body` with the nodes and the bytes in place (one access to each for a whole scan).
    private func withStorage<Result>(
        _ body: (UnsafeBufferPointer<Node>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        nodes.withUnsafeBufferPointer { nodes in bytes.withUnsafeBufferPointer { body(nodes, $0) } }
    }

    /// Whether the string node `node` of `bytes` is `name` (as `String` equality decides); `asciiUTF8` is `name`'s
    /// UTF-8 when it is all ASCII, so that an ASCII node is compared by its bytes alone.
    private static func key(
        _ node: Node,
        in bytes: UnsafeBufferPointer<UInt8>,
        is name: String,
        asciiUTF8: UnsafeBufferPointer<UInt8>?
    ) -> Bool {
        guard let asciiUTF8, node.kind == .string else { return JSONParser.string(of: node, in: bytes) == name }
        return UnsafeBufferPointer(rebasing: bytes[node.range]).hasSameBytes(as: asciiUTF8)
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 when it is all ASCII (and stored contiguously, as native strings are),
    /// otherwise with nil.
    func withASCIIBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable { bytes in body(bytes.isASCII ? bytes : nil) } ?? body(nil)
    }
}

extension Sequence<UInt8> {
    /// Whether every byte is ASCII (below 0x80): ASCII texts are equal strings exactly when their bytes are equal.
    var isASCII: Bool { allSatisfy { $0 < 0x80 } }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether `other` holds the same bytes.
    public func hasSameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        var offset = 0
        while offset < count {
            guard self[offset] == other[offset] else { return false }
            offset += 1
        }
        return true
    }
}
