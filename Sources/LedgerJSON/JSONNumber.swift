/// A JSON number, kept as the literal text it was written with so that nothing is lost or rounded.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The validated literal, for example `-12.50e3`.
    public let literal: String

    /// Validates `literal` against the JSON number grammar.
    public init?(literal: String) {
        guard JSONNumber.isValid(Array(literal.utf8)[...]) else { return nil }
        self.literal = literal
    }

    public init(_ value: Int64) {
        literal = String(value)
    }

    public init(_ value: Int) {
        literal = String(value)
    }

    init(validated literal: String) {
        self.literal = literal
    }

    public var description: String { literal }

    /// True when the literal has no fraction and no exponent.
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The exact value when the literal is an integer that fits `Int64`.
    public var int64: Int64? {
        guard isInteger else { return nil }
        return Int64(literal)
    }

    /// The nearest `Double`.
    public var double: Double? { Double(literal) }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        func digit(_ at: Int) -> Bool { at < bytes.endIndex && bytes[at] >= 48 && bytes[at] <= 57 }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while digit(index) { index += 1 }
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        return index == bytes.endIndex
    }
}
