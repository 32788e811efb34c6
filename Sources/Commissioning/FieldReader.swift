import LedgerJSON
import LedgerWire

/// Reads the fields of one JSON object of an event, naming the offending field (as a path) when one is wrong.
///
/// Every reader is created with the list of keys its object may hold, so a misspelt or unknown field is refused. It
/// reads a parsed `JSONValue` (a proposed event) or a `JSONNode` of a stored envelope (replay) alike.
struct FieldReader<Value: JSONReadable> {
    /// The longest free-text field, in UTF-8 bytes.
    static var maxTextBytes: Int { 4096 }

    /// The path of this object, e.g. `data` or `data.payment.caps`.
    let path: String
    private let object: Value

    /// A reader for `value`, which must be an object holding only `known` keys.
    init(_ value: Value, path: String, known: JSONKeys) throws(InvalidEvent) {
        guard value.isObject else { throw InvalidEvent(field: path, message: "must be a JSON object") }
        if !value.isObject(withKeysIn: known) {
            let unknown = value.objectKeys?.filter { !known.contains($0) }
                .min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if let unknown {
                throw InvalidEvent(field: path + "." + unknown, message: "is not a field of this object")
            }
        }
        self.path = path
        object = value
    }

    /// The path of the member `key`.
    func field(_ key: String) -> String { path + "." + key }

    /// Whether `key` is present.
    func has(_ key: String) -> Bool { object[key] != nil }

    /// The member `key`; throws when it is missing.
    func required(_ key: String) throws(InvalidEvent) -> Value {
        guard let value = object[key] else { throw InvalidEvent(field: field(key), message: "is required") }
        return value
    }

    /// Throws when `key` is present: it does not apply in this case.
    func forbid(_ key: String, _ why: String) throws(InvalidEvent) {
        if object[key] != nil { throw InvalidEvent(field: field(key), message: why) }
    }

    // MARK: Typed members

    /// Non-empty free text of at most `maxTextBytes`.
    func text(_ key: String) throws(InvalidEvent) -> String {
        try Self.text(try required(key), at: field(key))
    }

    func optionalText(_ key: String) throws(InvalidEvent) -> String? {
        guard let value = object[key] else { return nil }
        return try Self.text(value, at: field(key))
    }

    /// An identifier (see `Identifier`).
    func identifier(_ key: String) throws(InvalidEvent) -> String {
        try Self.identifier(try required(key), at: field(key))
    }

    func optionalIdentifier(_ key: String) throws(InvalidEvent) -> String? {
        guard let value = object[key] else { return nil }
        return try Self.identifier(value, at: field(key))
    }

    /// A lowercase UUID text referencing an event.
    func eventID(_ key: String) throws(InvalidEvent) -> String {
        try checkedEventID(key).text
    }

    /// An event id, kept packed.
    func packedEventID(_ key: String) throws(InvalidEvent) -> EventID {
        try checkedEventID(key).packed
    }

    /// The event id text of `key`, and its packed form (which only a lowercase UUID has: it gives back its text).
    private func checkedEventID(_ key: String) throws(InvalidEvent) -> (text: String, packed: EventID) {
        guard let text = try required(key).stringValue else {
            throw InvalidEvent(field: field(key), message: "must be a string")
        }
        guard let packed = text.withUTF8Buffer({ EventID(canonical: $0) }) else {
            throw InvalidEvent(field: field(key), message: "must be an event id: a lowercase UUID (8-4-4-4-12 hex)")
        }
        return (text, packed)
    }

    /// An amount of money: an integer number of pence from 0 to `Int64.max`.
    func pence(_ key: String) throws(InvalidEvent) -> Int64 {
        try Self.pence(try required(key), at: field(key))
    }

    func optionalPence(_ key: String) throws(InvalidEvent) -> Int64? {
        guard let value = object[key] else { return nil }
        return try Self.pence(value, at: field(key))
    }

    /// Basis points: an integer from 0 to 10000.
    func basisPoints(_ key: String) throws(InvalidEvent) -> Int64 {
        try Self.integer(try required(key), at: field(key), in: 0...10_000, unit: "basis points")
    }

    func optionalBasisPoints(_ key: String) throws(InvalidEvent) -> Int64? {
        guard let value = object[key] else { return nil }
        return try Self.integer(value, at: field(key), in: 0...10_000, unit: "basis points")
    }

    /// An integer within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(InvalidEvent) -> Int64 {
        try Self.integer(try required(key), at: field(key), in: range, unit: "an integer")
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws(InvalidEvent) -> Int64? {
        guard let value = object[key] else { return nil }
        return try Self.integer(value, at: field(key), in: range, unit: "an integer")
    }

    func bool(_ key: String) throws(InvalidEvent) -> Bool {
        guard let value = try required(key).boolValue else {
            throw InvalidEvent(field: field(key), message: "must be true or false")
        }
        return value
    }

    func optionalBool(_ key: String) throws(InvalidEvent) -> Bool? {
        guard object[key] != nil else { return nil }
        return try bool(key)
    }

    /// One of the values of `Choice`.
    func choice<Choice: RawRepresentable<String> & CaseIterable>(
        _ key: String,
        as type: Choice.Type = Choice.self
    ) throws(InvalidEvent) -> Choice {
        let value = try required(key)
        guard let text = value.stringValue else { throw InvalidEvent(field: field(key), message: "must be a string") }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw InvalidEvent(field: field(key), message: "must be one of: \(allowed)")
        }
        return choice
    }

    func optionalChoice<Choice: RawRepresentable<String> & CaseIterable>(
        _ key: String,
        as type: Choice.Type = Choice.self
    ) throws(InvalidEvent) -> Choice? {
        guard object[key] != nil else { return nil }
        return try choice(key, as: type)
    }

    /// A month, `YYYY-MM`.
    func period(_ key: String) throws(InvalidEvent) -> Period {
        guard let text = try required(key).stringValue else {
            throw InvalidEvent(field: field(key), message: "must be a string")
        }
        guard let period = Period(text) else {
            throw InvalidEvent(field: field(key), message: "must be a month written YYYY-MM (from 1970)")
        }
        return period
    }

    /// A date, `YYYY-MM-DD`.
    func day(_ key: String) throws(InvalidEvent) -> Day {
        guard let text = try required(key).stringValue else {
            throw InvalidEvent(field: field(key), message: "must be a string")
        }
        guard let day = Day(text) else {
            throw InvalidEvent(field: field(key), message: "must be a real date written YYYY-MM-DD (from 1970)")
        }
        return day
    }

    func optionalDay(_ key: String) throws(InvalidEvent) -> Day? {
        guard object[key] != nil else { return nil }
        return try day(key)
    }

    /// A nested object holding only `known` keys.
    func object(_ key: String, known: JSONKeys) throws(InvalidEvent) -> FieldReader {
        try FieldReader(try required(key), path: field(key), known: known)
    }

    func optionalObject(_ key: String, known: JSONKeys) throws(InvalidEvent) -> FieldReader? {
        guard object[key] != nil else { return nil }
        return try object(key, known: known)
    }

    /// The elements of an array.
    func array(_ key: String) throws(InvalidEvent) -> [Value] {
        guard let elements = try required(key).arrayValue else {
            throw InvalidEvent(field: field(key), message: "must be an array")
        }
        return elements
    }

    /// The path of element `index` of the array `key`, e.g. `data.outcomes[2]`.
    func element(_ key: String, _ index: Int) -> String { "\(field(key))[\(index)]" }

    /// An array of objects, each read with `read`.
    func objects<Element>(
        _ key: String,
        known: JSONKeys,
        _ read: (FieldReader<Value>) throws(InvalidEvent) -> Element
    ) throws(InvalidEvent) -> [Element] {
        var result = [Element]()
        let elements = try array(key)
        result.reserveCapacity(elements.count)
        for (index, value) in elements.enumerated() {
            result.append(try read(try FieldReader(value, path: element(key, index), known: known)))
        }
        return result
    }

    /// An array of `{<id>: identifier, shareBp}` objects: not empty, ids not repeated, shares summing to 10000 (each
    /// above 0 when `positive`).
    func shares(
        _ key: String,
        id idKey: String,
        positive: Bool = false
    ) throws(InvalidEvent) -> [(id: String, shareBp: Int64)] {
        let shares = try objects(key, known: [idKey, "shareBp"]) { (share) throws(InvalidEvent) in
            let shareBp = try share.basisPoints("shareBp")
            if positive, shareBp == 0 { throw InvalidEvent(field: share.field("shareBp"), message: "must be above 0") }
            return (id: try share.identifier(idKey), shareBp: shareBp)
        }
        guard !shares.isEmpty else { throw InvalidEvent(field: field(key), message: "must not be empty") }
        var seen = Set<String>()
        for (index, share) in shares.enumerated() where !seen.insert(share.id).inserted {
            throw InvalidEvent(field: "\(element(key, index)).\(idKey)", message: "is repeated")
        }
        guard shares.reduce(0, { $0 + $1.shareBp }) == 10_000 else {
            throw InvalidEvent(field: field(key), message: "shareBp must sum to 10000")
        }
        return shares
    }

    /// An array of identifiers, none repeated.
    func identifiers(_ key: String) throws(InvalidEvent) -> [String] {
        var result = [String]()
        let elements = try array(key)
        result.reserveCapacity(elements.count)
        for (index, value) in elements.enumerated() {
            let identifier = try Self.identifier(value, at: element(key, index))
            guard !result.contains(identifier) else {
                throw InvalidEvent(field: element(key, index), message: "is repeated")
            }
            result.append(identifier)
        }
        return result
    }

    /// An array of free texts.
    func texts(_ key: String) throws(InvalidEvent) -> [String] {
        var result = [String]()
        let elements = try array(key)
        result.reserveCapacity(elements.count)
        for (index, value) in elements.enumerated() {
            result.append(try Self.text(value, at: element(key, index)))
        }
        return result
    }

    // MARK: Values

    static func text(_ value: Value, at path: @autoclosure () -> String) throws(InvalidEvent) -> String {
        guard let text = value.stringValue else { throw InvalidEvent(field: path(), message: "must be a string") }
        guard !text.isEmpty else { throw InvalidEvent(field: path(), message: "must not be empty") }
        guard text.utf8.count <= maxTextBytes else {
            throw InvalidEvent(field: path(), message: "must be at most \(maxTextBytes) bytes")
        }
        return text
    }

    static func identifier(_ value: Value, at path: @autoclosure () -> String) throws(InvalidEvent) -> String {
        guard let text = value.stringValue else { throw InvalidEvent(field: path(), message: "must be a string") }
        guard Identifier.isValid(text) else {
            throw InvalidEvent(
                field: path(),
                message: "must be 1-128 characters from A-Z a-z 0-9 . _ : @ -, starting with a letter or digit"
            )
        }
        return text
    }

    static func pence(_ value: Value, at path: @autoclosure () -> String) throws(InvalidEvent) -> Int64 {
        if let amount = value.int64Value, amount >= 0 { return amount }
        guard let number = value.numberValue else {
            throw InvalidEvent(field: path(), message: "must be an integer number of pence")
        }
        guard number.isInteger else {
            throw InvalidEvent(
                field: path(),
                message: "must be an integer number of pence, without fraction or exponent"
            )
        }
        guard let amount = number.int64 else {
            throw InvalidEvent(field: path(), message: "must be at most \(Int64.max) pence")
        }
        guard amount >= 0 else { throw InvalidEvent(field: path(), message: "must not be negative") }
        return amount
    }

    static func integer(
        _ value: Value,
        at path: @autoclosure () -> String,
        in range: ClosedRange<Int64>,
        unit: String
    ) throws(InvalidEvent) -> Int64 {
        guard let integer = value.int64Value else {
            throw InvalidEvent(field: path(), message: "must be \(unit) without fraction or exponent")
        }
        guard range.contains(integer) else {
            throw InvalidEvent(
                field: path(),
                message: "must be \(unit) from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return integer
    }
}
