import LedgerJSON

extension JSONValue {
    /// The member `key` as a non-negative integer.
    /// - Throws: `LedgerClientError.protocolViolation` when it is missing or not one.
    func unsigned(_ key: String, in reply: String) throws(LedgerClientError) -> UInt64 {
        guard let value = self[key]?.int64Value, let unsigned = UInt64(exactly: value) else {
            throw .protocolViolation("\(reply) reply without a non-negative integer \"\(key)\"")
        }
        return unsigned
    }

    /// The member `key` as a string.
    /// - Throws: `LedgerClientError.protocolViolation` when it is missing or not one.
    func string(_ key: String, in reply: String) throws(LedgerClientError) -> String {
        guard let value = self[key]?.stringValue else {
            throw .protocolViolation("\(reply) reply without a string \"\(key)\"")
        }
        return value
    }
}
