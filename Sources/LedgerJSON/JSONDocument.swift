/// One parsed JSON text kept as its bytes and a flat index of its values, for reading a few fields of many documents
/// (stored events, replayed by the projections) without building a tree of dictionaries: a value becomes a Swift
/// string, number or array only when it is read. The index and a copy of the bytes share one allocation.
///
/// It accepts exactly what `JSONParser.parse` accepts and refuses the rest with the same errors; `root.value` is the
/// tree that `parse` builds. A document never changes once made, so its nodes may be read on any thread (a
/// `ManagedBuffer` cannot be declared `Sendable`, so `JSONNode` says so for it).
public final class JSONDocument: ManagedBuffer<JSONDocumentShape, JSONDocumentNode> {
    typealias Node = JSONDocumentNode

    /// Parses exactly one JSON value, with optional surrounding whitespace.
    public static func parsing(
        _ bytes: [UInt8],
        limits: JSONParser.Limits = .default
    ) throws(JSONError) -> JSONDocument {
        var reader = JSONDocumentReader()
        let document = bytes.withUnsafeBytes { bytes in
            Result { () throws(JSONError) in try reader.parse(bytes, limits: limits) }
        }
        return try document.get()
    }

    /// A document holding `nodes`, the index of `bytes`, and a copy of `bytes` after them.
    static func make(bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeBufferPointer<Node>) -> JSONDocument {
        let stride = MemoryLayout<Node>.stride
        let buffer = create(minimumCapacity: nodes.count + (bytes.count + stride - 1) / stride) { _ in
            JSONDocumentShape(nodes: nodes.count, bytes: bytes.count)
        }
        let document = unsafeDowncast(buffer, to: JSONDocument.self)
        document.withUnsafeMutablePointerToElements { elements in
            if let first = nodes.baseAddress { elements.initialize(from: first, count: nodes.count) }
            let tail = UnsafeMutableRawPointer(elements + nodes.count).bindMemory(to: UInt8.self, capacity: bytes.count)
            if let first = bytes.baseAddress { tail.initialize(from: first, count: bytes.count) }
        }
        return document
    }

    /// The index, in place: valid while the document lives, so for its own methods and its nodes'.
    var nodes: UnsafeBufferPointer<Node> {
        withUnsafeMutablePointers { shape, elements in
            UnsafeBufferPointer(start: elements, count: shape.pointee.nodes)
        }
    }

    /// The bytes, in place: valid while the document lives, so for its own methods and its nodes'.
    var bytes: UnsafeBufferPointer<UInt8> {
        withUnsafeMutablePointers { shape, elements in
            let tail = UnsafeMutableRawPointer(elements + shape.pointee.nodes).assumingMemoryBound(to: UInt8.self)
            return UnsafeBufferPointer(start: tail, count: shape.pointee.bytes)
        }
    }

    /// The document's value.
    public var root: JSONNode { JSONNode(document: self, index: 0) }

    /// The text of the string node at `index`.
    func string(at index: Int) -> String { JSONParser.string(of: nodes[index], in: bytes) }

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

    /// Calls `body` with the index of each key of the object at `object`, in document order (its value follows it).
    /// Does nothing for a non-object.
    func forEachKey(of object: Int, _ body: (Int) -> Void) {
        let nodes = nodes
        let container = nodes[object]
        guard container.kind == .object else { return }
        var key = object + 1
        for _ in 0..<container.count {
            body(key)
            key = nodes[key + 1].next(at: key + 1)
        }
    }

    /// Whether the node at `object` is an object whose keys are all among `known`.
    func isObject(at object: Int, withKeysIn known: JSONKeys) -> Bool {
        withStorage { nodes, bytes in
            let container = nodes[object]
            guard container.kind == .object else { return false }
            var key = object + 1
            for _ in 0..<container.count {
                guard known.index(of: nodes[key], in: bytes) != nil else { return false }
                key = nodes[key + 1].next(at: key + 1)
            }
            return true
        }
    }

    /// Calls `body` with the nodes and the bytes in place (one access to each for a whole scan).
    private func withStorage<Result>(
        _ body: (UnsafeBufferPointer<Node>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        body(nodes, bytes)
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

/// How many nodes and bytes a `JSONDocument` holds.
public struct JSONDocumentShape: Sendable {
    let nodes: Int
    let bytes: Int
}

/// One value of a `JSONDocument`, in document order: an array's elements follow it, and an object's members follow
/// it as each key's string node followed by the value's nodes.
public struct JSONDocumentNode: Sendable {
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

extension String {
    /// Calls `body` with the string's UTF-8 when it is all ASCII (and stored contiguously, as native strings are),
    /// otherwise with nil.
    func withASCIIBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable { bytes in body(bytes.isASCII ? bytes : nil) } ?? body(nil)
    }

    /// Calls `body` with the string's UTF-8 in place (or, for a string not stored contiguously, a copy).
    ///
    /// Inlinable so that callers in other modules specialise it: called generically it instantiates its closure's
    /// metadata on every call (4% of a replay's time).
    @inlinable
    public func withUTF8Buffer<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable(body) ?? Array(utf8).withUnsafeBufferPointer(body)
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

    /// Whether these are the bytes of `text`.
    public func hasSameBytes(as text: StaticString) -> Bool {
        hasSameBytes(as: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
