/// A value of a `JSONDocument`, read in place. Two nodes are equal when their values are, wherever they are.
public struct JSONNode: Sendable, Hashable, JSONReadable {
    /// Sendable as its document never changes once made (a `ManagedBuffer` cannot say so itself).
    nonisolated(unsafe) let document: JSONDocument
    let index: Int

    private var node: JSONDocument.Node { document.nodes[index] }

    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONNode? {
        document.member(key, of: index).map { JSONNode(document: document, index: $0) }
    }

    /// The text of a string; nil for anything else.
    public var stringValue: String? {
        switch node.kind {
        case .string, .unicodeString, .escapedString: document.string(at: index)
        default: nil
        }
    }

    /// Whether this is a string.
    public var isString: Bool {
        switch node.kind {
        case .string, .unicodeString, .escapedString: true
        default: false
        }
    }

    /// Calls `body` with the UTF-8 content of a string written without escapes (the bytes between its quotes), so
    /// that it can be read without making a `String`; nil for anything else.
    public func withUnescapedUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let string = node
        guard string.kind == .string || string.kind == .unicodeString else { return nil }
        return body(UnsafeBufferPointer(rebasing: document.bytes[string.range]))
    }

    /// Where the text of this string is among `names` (as `String` equality decides; an ASCII text is compared by its
    /// bytes); nil for a text that is not among them and for anything but a string.
    public func index(in names: JSONKeys) -> Int? {
        isString ? names.index(of: node, in: document.bytes) : nil
    }

    /// The value of `true` or `false`; nil for anything else.
    public var boolValue: Bool? {
        switch node.kind {
        case .trueValue: true
        case .falseValue: false
        default: nil
        }
    }

    /// A number; nil for anything else.
    public var numberValue: JSONNumber? {
        let number = node
        guard number.kind == .number else { return nil }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: document.bytes[number.range]), as: UTF8.self)
        return JSONNumber(validated: literal)
    }

    /// The exact value of a number written without fraction or exponent that fits `Int64`; nil otherwise. Read from
    /// the literal's bytes, without making a `JSONNumber`.
    public var int64Value: Int64? {
        let number = node
        guard number.kind == .number else { return nil }
        return JSONNumber.int64(UnsafeBufferPointer(rebasing: document.bytes[number.range]))
    }

    /// The elements of an array; nil for anything else.
    public var arrayValue: [JSONNode]? {
        let array = node
        guard array.kind == .array else { return nil }
        var elements = [JSONNode]()
        elements.reserveCapacity(array.count)
        var element = index + 1
        for _ in 0..<array.count {
            elements.append(JSONNode(document: document, index: element))
            element = document.nodes[element].next(at: element)
        }
        return elements
    }

    /// Whether this is `null`.
    public var isNull: Bool { node.kind == .null }

    /// Whether this is an object.
    public var isObject: Bool { node.kind == .object }

    /// The keys of an object, in document order; nil for anything else.
    public var objectKeys: [String]? {
        guard isObject else { return nil }
        return memberKeys.map { document.string(at: $0) }
    }

    /// Whether this is an object whose keys are all among `known`.
    public func isObject(withKeysIn known: JSONKeys) -> Bool {
        document.isObject(at: index, withKeysIn: known)
    }

    /// The value as a tree, as `JSONParser.parse` gives it.
    public var value: JSONValue {
        switch node.kind {
        case .null: .null
        case .falseValue: .bool(false)
        case .trueValue: .bool(true)
        case .number: numberValue.map { .number($0) } ?? .null
        case .string, .unicodeString, .escapedString: .string(document.string(at: index))
        case .array: .array(arrayValue?.map(\.value) ?? [])
        case .object:
            .object(
                Dictionary(
                    memberKeys.map { (document.string(at: $0), JSONNode(document: document, index: $0 + 1).value) },
                    uniquingKeysWith: { first, _ in first }
                )
            )
        }
    }

    public static func == (lhs: JSONNode, rhs: JSONNode) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The node indices of an object's keys (each followed by its value's nodes).
    private var memberKeys: some Sequence<Int> {
        let document = document
        return sequence(first: index + 1) { key in document.nodes[key + 1].next(at: key + 1) }.prefix(node.count)
    }
}
