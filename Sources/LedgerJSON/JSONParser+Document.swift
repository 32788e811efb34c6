extension JSONParser {
    /// Replaces `nodes` with the node index of the one JSON value in `bytes` (see `JSONDocument`), with exactly the
    /// checks and errors of `parse`; `nodes` keeps its capacity for the next document.
    static func documentNodes(
        _ bytes: UnsafeBufferPointer<UInt8>,
        limits: Limits,
        into nodes: inout [JSONDocument.Node]
    ) throws(JSONError) {
        guard bytes.count < Int(UInt32.max) else { throw JSONError(.tooLarge, at: 0) }
        var parser = JSONParser(bytes: bytes, limits: limits)
        swap(&parser.nodes, &nodes)
        defer { swap(&parser.nodes, &nodes) }
        parser.nodes.removeAll(keepingCapacity: true)
        // About one value per ten bytes in typical documents.
        parser.nodes.reserveCapacity(bytes.count / 8 + 4)
        parser.skipWhitespace()
        try parser.appendValue(depth: 0)
        try parser.expectEnd()
    }

    /// The text of a string node of `bytes`, which the parser has checked.
    static func string(of node: JSONDocument.Node, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard node.kind == .escapedString else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[node.range]), as: UTF8.self)
        }
        var parser = JSONParser(bytes: bytes, limits: .default)
        parser.index = node.range.lowerBound - 1
        // The string was checked when the document was parsed, so decoding it again cannot fail.
        return (try? parser.parseString()) ?? ""
    }

    /// Whether two key nodes of `bytes` are the same key (as `String` equality, which `parse` uses, decides).
    static func sameKey(
        _ first: JSONDocument.Node,
        _ second: JSONDocument.Node,
        in bytes: UnsafeBufferPointer<UInt8>
    )
        -> Bool
    {
        if first.kind == .string, second.kind == .string {
            return UnsafeBufferPointer(rebasing: bytes[first.range])
                .hasSameBytes(as: UnsafeBufferPointer(rebasing: bytes[second.range]))
        }
        return string(of: first, in: bytes) == string(of: second, in: bytes)
    }

    /// Whether the content of string node `first` comes before that of `second` in byte order.
    private static func precedes(
        _ first: JSONDocument.Node,
        _ second: JSONDocument.Node,
        in bytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        UnsafeBufferPointer(rebasing: bytes[first.range])
            .lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: bytes[second.range]))
    }

    // MARK: Building the index

    /// Appends the nodes of the value at `index`, which is nested inside `depth` arrays and objects.
    private mutating func appendValue(depth: Int) throws(JSONError) {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "\""): nodes.append(try stringNode())
        case UInt8(ascii: "{"): try appendObject(depth: depth + 1)
        case UInt8(ascii: "["): try appendArray(depth: depth + 1)
        case UInt8(ascii: "t"): try appendLiteral("true", .trueValue)
        case UInt8(ascii: "f"): try appendLiteral("false", .falseValue)
        case UInt8(ascii: "n"): try appendLiteral("null", .null)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            nodes.append(JSONDocument.Node(kind: .number, range: try scanNumber()))
        default: throw unexpected()
        }
    }

    private mutating func appendLiteral(_ word: StaticString, _ kind: JSONDocument.Node.Kind) throws(JSONError) {
        let start = index
        _ = try parseLiteral(word, .null)
        nodes.append(JSONDocument.Node(kind: kind, range: start..<index))
    }

    /// The node of the string at `index`, which it checks and moves past.
    private mutating func stringNode() throws(JSONError) -> JSONDocument.Node {
        let (content, escaped) = try scanString()
        if escaped { return JSONDocument.Node(kind: .escapedString, range: content) }
        let ascii = UnsafeBufferPointer(rebasing: bytes[content]).isASCII
        return JSONDocument.Node(kind: ascii ? .string : .unicodeString, range: content)
    }

    /// Appends the array at `index`, which is the `depth`-th level of nesting.
    private mutating func appendArray(depth: Int) throws(JSONError) {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        let container = nodes.count
        nodes.append(JSONDocument.Node(kind: .array, count: 0, next: 0))
        index += 1
        skipWhitespace()
        var count = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            nodes[container] = JSONDocument.Node(kind: .array, count: 0, next: nodes.count)
            return
        }
        while true {
            try appendValue(depth: depth)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                nodes[container] = JSONDocument.Node(kind: .array, count: count, next: nodes.count)
                return
            default: throw unexpected()
            }
        }
    }

    /// Appends the object at `index`, which is the `depth`-th level of nesting: each member is its key's node
    /// followed by its value's nodes.
    private mutating func appendObject(depth: Int) throws(JSONError) {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        let container = nodes.count
        nodes.append(JSONDocument.Node(kind: .object, count: 0, next: 0))
        index += 1
        skipWhitespace()
        var count = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            nodes[container] = JSONDocument.Node(kind: .object, count: 0, next: nodes.count)
            return
        }
        // Keys seen so far, once there are too many for a linear search to be the cheaper check.
        var seen: Set<String>?
        // The last key while every key so far is ASCII and follows the one before in byte order (as in canonical
        // JSON): a key that follows it cannot repeat an earlier one.
        var ascending: JSONDocument.Node?
        // While every key so far is ASCII, a bit for each (see `keyBit`): an ASCII key whose bit is clear repeats
        // none of them (until `seen` is made, which must then hear of every key).
        var asciiKeyBits: UInt64? = 0
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyOffset = index
            let key = try stringNode()
            let bit = key.kind == .string ? Self.keyBit(key, in: bytes) : 0
            if key.kind == .string, count == 0 || ascending.map({ Self.precedes($0, key, in: bytes) }) == true {
                ascending = key
            } else if let bits = asciiKeyBits, bit != 0, bits & bit == 0, seen == nil {
                ascending = nil
            } else {
                ascending = nil
                try checkNewKey(key, at: keyOffset, object: container, members: count, seen: &seen)
            }
            asciiKeyBits = bit == 0 ? nil : asciiKeyBits.map { $0 | bit }
            nodes.append(key)
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            try appendValue(depth: depth)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                nodes[container] = JSONDocument.Node(kind: .object, count: count, next: nodes.count)
                return
            default: throw unexpected()
            }
        }
    }

    /// One of 64 bits picked by an ASCII key's length and first and last bytes: equal keys have equal bits.
    private static func keyBit(_ key: JSONDocument.Node, in bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let range = key.range
        guard let first = range.first, let last = range.last else { return 1 }
        let mixed = UInt64(range.count) &* 0x9E37 ^ UInt64(bytes[first]) &* 31 ^ UInt64(bytes[last])
        return 1 << (mixed & 63)
    }

    /// Throws `duplicateKey` when `key` repeats one of the first `members` keys of the object at node `object`.
    private func checkNewKey(
        _ key: JSONDocument.Node,
        at offset: Int,
        object: Int,
        members: Int,
        seen: inout Set<String>?
    ) throws(JSONError) {
        if var keys = seen {
            seen = nil
            let text = Self.string(of: key, in: bytes)
            guard keys.insert(text).inserted else { throw JSONError(.duplicateKey(text), at: offset) }
            seen = keys
            return
        }
        var earlier = [JSONDocument.Node]()
        var member = object + 1
        for _ in 0..<members {
            if Self.sameKey(nodes[member], key, in: bytes) {
                throw JSONError(.duplicateKey(Self.string(of: key, in: bytes)), at: offset)
            }
            if members >= Self.linearKeySearchLimit { earlier.append(nodes[member]) }
            member = nodes[member + 1].next(at: member + 1)
        }
        // (Past the limit only after keys in byte order, which skip this check.)
        if members >= Self.linearKeySearchLimit {
            seen = Set(earlier.map { Self.string(of: $0, in: bytes) } + [Self.string(of: key, in: bytes)])
        }
    }
}
