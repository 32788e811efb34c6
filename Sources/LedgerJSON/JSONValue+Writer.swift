extension JSONValue {
    /// The canonical compact form: no whitespace, object keys sorted by their UTF-8 bytes, numbers as written,
    /// strings with only the escapes JSON requires. Equal inputs always give identical bytes.
    public var canonicalBytes: [UInt8] {
        var buffer = [UInt8]()
        write(to: &buffer)
        return buffer
    }

    /// The canonical form as text.
    public var canonicalString: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }

    /// Appends the canonical form to `buffer`.
    public func write(to buffer: inout [UInt8]) {
        switch self {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let value): buffer.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .number(let number): buffer.append(contentsOf: number.literal.utf8)
        case .string(let text): Self.writeString(text, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                element.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members.sorted(by: { Self.utf8Precedes($0.key, $1.key) }) {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                value.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a quoted JSON string: `"` `\` and bytes below 0x20 escaped (`\b \f \n \r \t`, otherwise
    /// `\u00xx` in lowercase hex); everything else, including `/`, 0x7F and non-ASCII, as raw UTF-8.
    public static func writeString(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        buffer.append(UInt8(ascii: "\""))
        text.withUTF8 { appendEscaped($0, to: &buffer) }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            runStart = index + 1
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(contentsOf: "u00".utf8)
                buffer.append(hexDigit(byte >> 4))
                buffer.append(hexDigit(byte & 0x0F))
            }
        }
        if runStart < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Byte-wise lexicographic order of the UTF-8 forms (which is also Unicode scalar order).
    static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in left.lexicographicallyPrecedes(right) }
        }
        guard let result = fast ?? nil else { return lhs.utf8.lexicographicallyPrecedes(rhs.utf8) }
        return result
    }
}
