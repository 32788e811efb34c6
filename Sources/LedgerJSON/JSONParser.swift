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
    /// The members of the objects being parsed, innermost last. An object's members gather here and go into a
    /// dictionary of the right size when it closes: one hash per key and no regrowing.
    private var members: [(key: String, value: JSONValue)] = []
    /// The index being built when parsing into a `JSONDocument`.
    var nodes: [JSONDocument.Node] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
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
        try expectEnd()
        return value
    }

    /// Skips trailing whitespace; throws unless that reaches the end of the bytes.
    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        guard index == bytes.count else {
            throw isWellFormedUTF8(at: index) ? JSONError(.trailingData, at: index) : JSONError(.invalidUTF8, at: index)
        }
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
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let first = members.count
        // Keys seen so far, once there are too many for a linear search to be the cheaper check.
        var seen: Set<String>?
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyOffset = index
            let key = try parseString()
            if var keys = seen {
                seen = nil
                guard keys.insert(key).inserted else { throw JSONError(.duplicateKey(key), at: keyOffset) }
                seen = keys
            } else {
                guard !members[first...].contains(where: { $0.key == key }) else {
                    throw JSONError(.duplicateKey(key), at: keyOffset)
                }
                if members.count - first == Self.linearKeySearchLimit {
                    seen = Set(members[first...].map(\.key) + [key])
                }
            }
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(closeObject(from: first))
            default: throw unexpected()
            }
        }
    }

    /// Objects with up to this many keys are checked for a repeated key by comparing it with each earlier one.
    static let linearKeySearchLimit = 16

    /// The dictionary of the (distinct) members gathered from `first` on, which it takes off the stack.
    private mutating func closeObject(from first: Int) -> [String: JSONValue] {
        var object = [String: JSONValue](minimumCapacity: members.count - first)
        for member in members[first...] { object[member.key] = member.value }
        members.removeSubrange(first...)
        return object
    }

    mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == expected else { throw unexpected() }
            index += 1
        }
        return value
    }

    // MARK: Helpers

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// The error for the byte at `index`, which cannot appear there: `invalidUTF8` when it starts an ill-formed
    /// UTF-8 sequence, otherwise `unexpectedByte`.
    func unexpected() -> JSONError {
        isWellFormedUTF8(at: index)
            ? JSONError(.unexpectedByte(bytes[index]), at: index) : JSONError(.invalidUTF8, at: index)
    }

    /// Whether a well-formed UTF-8 sequence (or an ASCII byte) starts at `position`.
    private func isWellFormedUTF8(at position: Int) -> Bool {
        bytes[position] < 0x80 || wellFormedSequenceLength(at: position) > 0
    }
}
