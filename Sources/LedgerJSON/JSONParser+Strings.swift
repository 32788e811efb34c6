extension JSONParser {
    /// Parses the string whose opening quote is at `index`.
    mutating func parseString() throws(JSONError) -> String {
        let (content, escaped) = try scanString()
        return escaped
            ? String(decoding: scratch, as: UTF8.self)
            : String(decoding: UnsafeBufferPointer(rebasing: bytes[content]), as: UTF8.self)
    }

    /// Checks the string whose opening quote is at `index` and moves past its closing quote; returns the range of its
    /// content (between the quotes) and whether it holds escapes, in which case its decoded bytes are in `scratch`.
    mutating func scanString() throws(JSONError) -> (content: Range<Int>, escaped: Bool) {
        let start = index
        index += 1
        let contentStart = index
        // Fast path: no escapes, so the content bytes are the string.
        try skipPlainBytes(upTo: plainLimit(decoded: 0))
        try checkStop(decoded: index - contentStart, stringStart: start)
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return (contentStart..<index - 1, false)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while true {
            // Here `index` is at a backslash.
            let scalar = try parseEscape()
            Self.appendUTF8(scalar, to: &scratch)
            let runStart = index
            try skipPlainBytes(upTo: plainLimit(decoded: scratch.count))
            try checkStop(decoded: scratch.count + index - runStart, stringStart: start)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                return (contentStart..<index - 1, true)
            }
        }
    }

    /// Where to stop scanning plain bytes so that a string never grows past `maxStringBytes`, given `decoded` bytes.
    private func plainLimit(decoded: Int) -> Int {
        let budget = max(0, limits.maxStringBytes - decoded)
        return budget < bytes.count - index ? index + budget + 1 : bytes.count
    }

    /// After `skipPlainBytes`: throws unless the string is within its size limit and `index` is at `"` or `\`.
    private func checkStop(decoded: Int, stringStart: Int) throws(JSONError) {
        guard decoded <= limits.maxStringBytes else { throw JSONError(.tooLarge, at: stringStart) }
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
    }

    /// Parses the escape sequence at `index` (a backslash) and returns the scalar it stands for.
    private mutating func parseEscape() throws(JSONError) -> UInt32 {
        let escapeStart = index
        guard bytes.count - index >= 2 else { throw JSONError(.unexpectedEnd, at: bytes.count) }
        let code = bytes[index + 1]
        index += 2
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(code)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"): break
        default: throw JSONError(.invalidEscape, at: escapeStart)
        }
        let unit = try hex4(escapeStart: escapeStart)
        switch unit {
        case 0xD800..<0xDC00:
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\\") else { throw JSONError(.loneSurrogate, at: escapeStart) }
            guard index + 1 < bytes.count else { throw JSONError(.unexpectedEnd, at: index + 1) }
            guard bytes[index + 1] == UInt8(ascii: "u") else { throw JSONError(.loneSurrogate, at: escapeStart) }
            let lowStart = index
            index += 2
            let low = try hex4(escapeStart: lowStart)
            guard low >= 0xDC00 && low < 0xE000 else { throw JSONError(.loneSurrogate, at: escapeStart) }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00..<0xE000:
            throw JSONError(.loneSurrogate, at: escapeStart)
        default:
            return unit
        }
    }

    /// Reads the four hex digits at `index` of the `\u` escape that starts at `escapeStart`.
    private mutating func hex4(escapeStart: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt32(nibble)
            index += 1
        }
        return value
    }

    /// Appends the UTF-8 form of `scalar`, a Unicode scalar value (never a surrogate).
    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
