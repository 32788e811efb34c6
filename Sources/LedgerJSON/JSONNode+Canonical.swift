extension JSONNode {
    /// The canonical compact form, byte for byte what `value.canonicalBytes` gives, written from the document's bytes
    /// without building the tree: scalars are copied (a string is decoded only if it has escapes), and an object's
    /// members are sorted only when they are not already in key order.
    public var canonicalBytes: [UInt8] {
        var buffer = [UInt8]()
        let bytes = document.bytes
        buffer.reserveCapacity(bytes.count)
        _ = document.writeCanonical(index, from: bytes, to: &buffer)
        return buffer
    }
}

extension JSONDocument {
    /// Appends the canonical form of the value at `index` and returns the index of the node after it.
    fileprivate func writeCanonical(
        _ index: Int,
        from bytes: UnsafeBufferPointer<UInt8>,
        to buffer: inout [UInt8]
    ) -> Int {
        let node = nodes[index]
        switch node.kind {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .falseValue: buffer.append(contentsOf: "false".utf8)
        case .trueValue: buffer.append(contentsOf: "true".utf8)
        case .number: buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[node.range]))
        case .string, .unicodeString:
            // Without escapes the content has no quote, backslash or control byte: it is its own canonical form.
            buffer.append(UInt8(ascii: "\""))
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[node.range]))
            buffer.append(UInt8(ascii: "\""))
        case .escapedString: JSONValue.writeString(JSONParser.string(of: node, in: bytes), to: &buffer)
        case .array:
            buffer.append(UInt8(ascii: "["))
            var element = index + 1
            for number in 0..<node.count {
                if number > 0 { buffer.append(UInt8(ascii: ",")) }
                element = writeCanonical(element, from: bytes, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object:
            buffer.append(UInt8(ascii: "{"))
            if membersAreInKeyOrder(index, from: bytes) {
                // The usual case: the members are written as they stand.
                var key = index + 1
                for number in 0..<node.count {
                    if number > 0 { buffer.append(UInt8(ascii: ",")) }
                    let value = writeCanonical(key, from: bytes, to: &buffer)
                    buffer.append(UInt8(ascii: ":"))
                    key = writeCanonical(value, from: bytes, to: &buffer)
                }
            } else {
                for (number, key) in membersInKeyOrder(index, from: bytes).enumerated() {
                    if number > 0 { buffer.append(UInt8(ascii: ",")) }
                    _ = writeCanonical(key, from: bytes, to: &buffer)
                    buffer.append(UInt8(ascii: ":"))
                    _ = writeCanonical(key + 1, from: bytes, to: &buffer)
                }
            }
            buffer.append(UInt8(ascii: "}"))
        }
        return node.next(at: index)
    }

    /// Whether the keys of the object at `index` are written without escapes and in canonical order already (keys
    /// are distinct, so raw contents in strictly ascending order are sorted), checked without allocating.
    private func membersAreInKeyOrder(_ index: Int, from bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var key = index + 1
        var previous: UnsafeBufferPointer<UInt8>?
        for _ in 0..<nodes[index].count {
            guard nodes[key].kind != .escapedString else { return false }
            let content = UnsafeBufferPointer(rebasing: bytes[nodes[key].range])
            if let previous, !previous.lexicographicallyPrecedes(content) { return false }
            previous = content
            key = nodes[key + 1].next(at: key + 1)
        }
        return true
    }

    /// The key nodes of the object at `index`, sorted by their texts' UTF-8 bytes as the canonical form orders them.
    private func membersInKeyOrder(_ index: Int, from bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var keys = [Int]()
        keys.reserveCapacity(nodes[index].count)
        var key = index + 1
        for _ in 0..<nodes[index].count {
            keys.append(key)
            key = nodes[key + 1].next(at: key + 1)
        }
        guard keys.contains(where: { nodes[$0].kind == .escapedString }) else {
            func content(_ key: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[nodes[key].range])
            }
            return keys.sorted { content($0).lexicographicallyPrecedes(content($1)) }
        }
        let texts = keys.map { Array(JSONParser.string(of: nodes[$0], in: bytes).utf8) }
        return keys.indices.sorted { texts[$0].lexicographicallyPrecedes(texts[$1]) }.map { keys[$0] }
    }
}
