extension JSONParser {
    /// Parses the number at `index`: the run of bytes that can belong to a number (digits, `-`, `+`, `.`, `e`, `E`)
    /// must be no longer than `maxNumberLength` and match the JSON number grammar exactly.
    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let literal = try scanNumber()
        return JSONNumber(validated: String(decoding: UnsafeBufferPointer(rebasing: bytes[literal]), as: UTF8.self))
    }

    /// Checks the number at `index` (as `parseNumber` does) and moves past it; returns the range of its literal.
    mutating func scanNumber() throws(JSONError) -> Range<Int> {
        let start = index
        let maxLength = max(0, limits.maxNumberLength)
        let limit = maxLength < bytes.count - start ? start + maxLength + 1 : bytes.count
        while index < limit, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index - start <= maxLength else { throw JSONError(.numberTooLong, at: start) }
        guard JSONNumber.isValid(UnsafeBufferPointer(rebasing: bytes[start..<index])) else {
            throw JSONError(.invalidNumber, at: start)
        }
        return start..<index
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }
}
