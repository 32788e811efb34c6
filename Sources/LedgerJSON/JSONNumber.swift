/// A JSON number, kept as the literal text it was written with so that nothing is lost or rounded.
///
/// Equality and hashing compare the literal: `1`, `1.0` and `1e0` are different numbers here, as they are different
/// bytes in canonical JSON.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The validated literal, for example `-12.50e3`.
    public let literal: String

    /// A number with the given literal, or nil unless it matches
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` exactly (no surrounding whitespace).
    public init?(literal: String) {
        var text = literal
        guard text.withUTF8({ JSONNumber.isValid($0) }) else { return nil }
        self.literal = text
    }

    /// The decimal literal of `value`.
    public init(_ value: Int64) {
        literal = String(value)
    }

    /// The decimal literal of `value`.
    public init(_ value: Int) {
        literal = String(value)
    }

    /// The decimal literal of `value` (positions, versions and sizes are unsigned: no conversion that could trap).
    public init(_ value: UInt64) {
        literal = String(value)
    }

    /// Wraps a literal the caller has already validated.
    init(validated literal: String) {
        self.literal = literal
    }

    /// The literal.
    public var description: String { literal }

    /// True when the literal has no fraction and no exponent (no `.`, `e` or `E`).
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The exact value when the literal is an integer (see `isInteger`) that fits `Int64`; `-0` is 0.
    public var int64: Int64? {
        guard isInteger else { return nil }
        var text = literal
        return text.withUTF8 { JSONNumber.int64($0) }
    }

    /// The value of a validated literal's bytes, as `int64` gives it, without making a `String`.
    static func int64(_ literal: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = literal.first == UInt8(ascii: "-")
        var value: Int64 = 0
        for byte in literal.dropFirst(negative ? 1 : 0) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, carry) =
                negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = next
        }
        return value
    }

    /// The nearest `Double`, or nil when the magnitude is too large for a finite `Double` (e.g. `1e400`).
    public var double: Double? {
        guard let value = Double(literal), value.isFinite else { return nil }
        return value
    }

    /// Whether `bytes` is exactly one JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = bytes.count
        var index = 0
        func isDigit(_ position: Int) -> Bool {
            position < end && bytes[position] &- UInt8(ascii: "0") < 10
        }
        func byte(is ascii: Unicode.Scalar, at position: Int) -> Bool {
            position < end && bytes[position] == UInt8(ascii: ascii)
        }
        if byte(is: "-", at: index) { index += 1 }
        guard isDigit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if byte(is: ".", at: index) {
            index += 1
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        if byte(is: "e", at: index) || byte(is: "E", at: index) {
            index += 1
            if byte(is: "+", at: index) || byte(is: "-", at: index) { index += 1 }
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        return index == end
    }
}
