/// A JSON value.
///
/// Objects are unordered (the canonical writer sorts their keys by UTF-8 bytes); numbers keep their literal text.
/// Strings and keys compare with Swift `String` equality, which is Unicode canonical equivalence: two strings that
/// differ only in normalization are equal values (and duplicate keys) even though their canonical bytes differ.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The text of a string; nil for anything else.
    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The members of an object; nil for anything else.
    public var objectValue: [String: JSONValue]? {
        guard case .object(let value) = self else { return nil }
        return value
    }

    /// The elements of an array; nil for anything else.
    public var arrayValue: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The value of `true` or `false`; nil for anything else.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The exact value of a number written without fraction or exponent that fits `Int64`; nil otherwise.
    public var int64Value: Int64? {
        guard case .number(let value) = self else { return nil }
        return value.int64
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        guard case .null = self else { return false }
        return true
    }
}
