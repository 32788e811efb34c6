extension JSONParser {
    /// The length of the well-formed multi-byte UTF-8 sequence starting at `position` (RFC 3629: no overlong forms,
    /// no surrogates, nothing above U+10FFFF, not truncated), or 0 when there is none.
    func wellFormedSequenceLength(at position: Int) -> Int {
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch bytes[position] {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return 0
        }
        guard length <= bytes.count - position else { return 0 }
        let second = bytes[position + 1]
        guard second >= lower && second <= upper else { return 0 }
        if length > 2 {
            guard bytes[position + 2] & 0xC0 == 0x80 else { return 0 }
        }
        if length > 3 {
            guard bytes[position + 3] & 0xC0 == 0x80 else { return 0 }
        }
        return length
    }

    /// Advances `index` over string content that needs no decoding (no `"`, `\` or control byte), checking UTF-8,
    /// until it reaches `limit` (a multi-byte sequence may end past it) or stops at a `"` or `\`.
    mutating func skipPlainBytes(upTo limit: Int) throws(JSONError) {
        while index < limit {
            if limit - index >= 8 {
                let word = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !Self.needsAttention(word) {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte >= 0x80 {
                let length = wellFormedSequenceLength(at: index)
                guard length > 0 else { throw JSONError(.invalidUTF8, at: index) }
                index += length
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: index)
            } else {
                index += 1
            }
        }
    }

    /// Whether any of the eight bytes in `word` is non-ASCII, a control byte, `"` or `\`.
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let below0x20 = (word &- ones &* 0x20) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (word | below0x20 | quote | backslash) & highs != 0
    }
}
