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

    /// Whether the string node at `index` is `name` (as `String` equality decides); `asciiUTF8` is `name`'s UTF-8
    /// when it is all ASCII, so that an ASCII node is compared by its bytes alone.
    func string(at index: Int, is name: String, asciiUTF8: UnsafeBufferPointer<UInt8>?) -> Bool {
        let node = nodes[index]
        guard let asciiUTF8, node.kind == .string else { return string(at: index) == name }
        return node.range.count == asciiUTF8.count
            && bytes.withUnsafeBufferPointer { asciiUTF8.elementsEqual(UnsafeBufferPointer(rebasing: $0[node.range])) }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 when it is all ASCII (and stored contiguously, as native strings are),
    /// otherwise with nil.
    func withASCIIBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable { bytes in body(bytes.allSatisfy { $0 < 0x80 } ? bytes : nil) }
            ?? body(nil)
    }
}
