import LedgerJSON

extension JSONValue {
    /// An integer number.
    static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }

    /// An integer number.
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// An array of strings.
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` when `value` is present.
    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}
