/// A strict RFC 8259 parser: valid UTF-8 only, no duplicate keys, bounded depth, number and string sizes.
public struct JSONParser {
    /// Bounds on what the parser accepts.
    public struct Limits: Sendable {
        /// The deepest nesting of arrays and objects.
        public var maxDepth: Int
        /// The longest number literal, in characters.
        public var maxNumberLength: Int
        /// The longest string, in bytes.
        public var maxStringBytes: Int

        public init(maxDepth: Int = 64, maxNumberLength: Int = 64, maxStringBytes: Int = 1 << 20) {
            self.maxDepth = maxDepth
            self.maxNumberLength = maxNumberLength
            self.maxStringBytes = maxStringBytes
        }

        public static let `default` = Limits()
    }

    private let bytes: UnsafeRawBufferPointer
    private let limits: Limits
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses exactly one JSON value (with optional surrounding whitespace).
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONError) -> JSONValue
    {
        var parser = JSONParser(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw JSONError(.trailingData, at: parser.index) }
        return value
    }

    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONError) -> JSONValue {
        try parse(bytes[...], limits: limits)
    }

    public static func parse(_ bytes: ArraySlice<UInt8>, limits: Limits = .default) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError> = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    public static func parse(_ text: String, limits: Limits = .default) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte: throw JSONError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == expected else { throw JSONError(.unexpectedByte(bytes[index]), at: index) }
            index += 1
        }
        return value
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        var members = [String: JSONValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte(bytes[index]), at: index) }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: key) == nil else {
                throw JSONError(.duplicateKey(key), at: keyOffset)
            }
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte(next), at: index - 1) }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        var elements = [JSONValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte(next), at: index - 1) }
        }
    }

    private mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index - start <= limits.maxNumberLength else { throw JSONError(.numberTooLong, at: start) }
        let literal = Array(bytes[start..<index])
        guard JSONNumber.isValid(literal[...]) else { throw JSONError(.invalidNumber, at: start) }
        return JSONNumber(validated: String(decoding: literal, as: UTF8.self))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONError) -> String {
        let start = index
        index += 1
        var output = [UInt8]()
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard output.count <= limits.maxStringBytes else { throw JSONError(.tooLarge, at: start) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &output)
            case 0..<0x20:
                throw JSONError(.controlCharacterInString, at: index)
            case 0x20..<0x80:
                output.append(byte)
                index += 1
            default:
                try copyUTF8Sequence(into: &output)
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONError) {
        let escapeOffset = index
        index += 1
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw JSONError(.loneSurrogate, at: escapeOffset) }
                index += 2
                let low = try hex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw JSONError(.loneSurrogate, at: escapeOffset) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw JSONError(.loneSurrogate, at: escapeOffset)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw JSONError(.loneSurrogate, at: escapeOffset) }
            output.append(contentsOf: UTF8.encode(unicode) ?? UTF8.EncodedScalar())
        default:
            throw JSONError(.invalidEscape, at: escapeOffset)
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONError(.unexpectedEnd, at: bytes.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let nibble: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(byte - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - 55)
            default: throw JSONError(.invalidEscape, at: index)
            }
            value = value << 4 | nibble
            index += 1
        }
        return value
    }

    /// Copies one well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
    private mutating func copyUTF8Sequence(into output: inout [UInt8]) throws(JSONError) {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
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
        default: throw JSONError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count else { throw JSONError(.invalidUTF8, at: index) }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { throw JSONError(.invalidUTF8, at: index) }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: index)
        }
        for offset in 0..<length { output.append(bytes[index + offset]) }
        index += length
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(JSONError) {
        let found = try peek()
        guard found == byte else { throw JSONError(.unexpectedByte(found), at: index) }
        index += 1
    }
}
