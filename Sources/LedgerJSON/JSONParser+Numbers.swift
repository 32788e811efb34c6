extension JSONParser {
    /// Parses the number at `index`: the run of bytes that can belong to a number (digits, `-`, `+`, `.`, `e`, `E`)
    /// must be no longer than `maxNumberLength` and match the JSON number grammar exactly.
    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        let maxLength = max(0, limits.maxNumberLength)
        let limit = maxLength < bytes.count - start ? start + maxLength + 1 : bytes.count
        while index < limit, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index - start <= maxLength else { throw JSONError(.numberTooLong, at: start) }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard JSONNumber.isValid(literal) else { throw JSONError(.invalidNumber, at: start) }
        return JSONNumber(validated: String(decoding: literal, as: UTF8.self))
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
