/// Reading a JSON value, whether a parsed `JSONValue` tree or a `JSONNode` of a `JSONDocument`, so code that reads
/// fields works on either.
public protocol JSONReadable: Sendable {
    /// The member `key` of an object; nil for a missing key or a non-object.
    subscript(key: String) -> Self? { get }
    /// The text of a string; nil for anything else.
    var stringValue: String? { get }
    /// The value of `true` or `false`; nil for anything else.
    var boolValue: Bool? { get }
    /// A number; nil for anything else.
    var numberValue: JSONNumber? { get }
    /// The exact value of a number written without fraction or exponent that fits `Int64`; nil otherwise.
    var int64Value: Int64? { get }
    /// The elements of an array; nil for anything else.
    var arrayValue: [Self]? { get }
    /// Whether this is `null`.
    var isNull: Bool { get }
    /// Whether this is an object.
    var isObject: Bool { get }
    /// The keys of an object; nil for anything else.
    var objectKeys: [String]? { get }
    /// Whether this is an object whose keys are all among `known`.
    func isObject(withKeysIn known: JSONKeys) -> Bool
    /// The canonical compact form (see `JSONValue.canonicalBytes`).
    var canonicalBytes: [UInt8] { get }
}

extension JSONValue: JSONReadable {
    /// A number; nil for anything else.
    public var numberValue: JSONNumber? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// Whether this is an object.
    public var isObject: Bool { objectValue != nil }

    /// The keys of an object, in no particular order; nil for anything else.
    public var objectKeys: [String]? { objectValue.map { Array($0.keys) } }

    /// Whether this is an object whose keys are all among `known`.
    public func isObject(withKeysIn known: JSONKeys) -> Bool {
        guard let members = objectValue else { return false }
        return members.count <= known.names.count && members.keys.allSatisfy(known.contains)
    }
}
