/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// It accepts exactly one value with optional surrounding whitespace (space, tab, LF, CR) and refuses ill-formed
/// UTF-8, a byte order mark, duplicate object keys and anything beyond its `Limits`. It stops at the first problem
/// and reports it with its byte offset from the start of the given bytes.
public struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: Limits
    var index = 0
    /// Reused for strings that contain escapes.
    var scratch: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses exactly one JSON value, with optional surrounding whitespace.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONError) -> JSONValue
    {
        try bytes.withMemoryRebound(to: UInt8.self) { (typed) throws(JSONError) in
            var parser = JSONParser(bytes: typed, limits: limits)
            return try parser.parseDocument()
        }
    }

    /// Parses exactly one JSON value, with optional surrounding whitespace.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    /// Parses exactly one JSON value, with optional surrounding whitespace; offsets count from `startIndex`.
    public static func parse(_ bytes: ArraySlice<UInt8>, limits: Limits = .default) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    /// Parses exactly one JSON value from `text.utf8`, with optional surrounding whitespace.
    public static func parse(_ text: String, limits: Limits = .default) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(utf8), limits: limits) }
        }
        return try result.get()
    }

    // MARK: Values

    private mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else {
            throw isWellFormedUTF8(at: index) ? JSONError(.trailingData, at: index) : JSONError(.invalidUTF8, at: index)
        }
        return value
    }

    /// Parses the value at `index`, which is nested inside `depth` arrays and objects.
    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return .number(try parseNumber())
        default: throw unexpected()
        }
    }

    /// Parses the array at `index`, which is the `depth`-th level of nesting.
    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
        var elements = [JSONValue]()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw unexpected()
            }
        }
    }

    /// Parses the object at `index`, which is the `depth`-th level of nesting.
    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
        var members = [String: JSONValue]()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyOffset = index
            let key = try parseString()
            guard members.index(forKey: key) == nil else { throw JSONError(.duplicateKey(key), at: keyOffset) }
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            members[key] = try parseValue(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw unexpected()
            }
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == expected else { throw unexpected() }
            index += 1
        }
        return value
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// The error for the byte at `index`, which cannot appear there: `invalidUTF8` when it starts an ill-formed
    /// UTF-8 sequence, otherwise `unexpectedByte`.
    private func unexpected() -> JSONError {
        isWellFormedUTF8(at: index)
            ? JSONError(.unexpectedByte(bytes[index]), at: index) : JSONError(.invalidUTF8, at: index)
    }

    /// Whether a well-formed UTF-8 sequence (or an ASCII byte) starts at `position`.
    private func isWellFormedUTF8(at position: Int) -> Bool {
        bytes[position] < 0x80 || wellFormedSequenceLength(at: position) > 0
    }
}
