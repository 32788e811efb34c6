import LedgerJSON
import LedgerProofs

extension JSONValue {
    /// The member `key` as a hash in hex.
    /// - Throws: `LedgerClientError.protocolViolation` when it is missing or not 64 hex digits.
    func hash(_ key: String, in reply: String) throws(LedgerClientError) -> MerkleHash {
        guard let hash = self[key]?.stringValue.flatMap({ MerkleHash(hex: $0) }) else {
            throw .protocolViolation("\(reply) reply without a hex hash \"\(key)\"")
        }
        return hash
    }

    /// The member `key` as an array of hashes in hex.
    /// - Throws: `LedgerClientError.protocolViolation` when it is missing or holds anything else.
    func hashes(_ key: String, in reply: String) throws(LedgerClientError) -> [MerkleHash] {
        guard let array = self[key]?.arrayValue else {
            throw .protocolViolation("\(reply) reply without an array \"\(key)\"")
        }
        var hashes = [MerkleHash]()
        for element in array {
            guard let hash = element.stringValue.flatMap({ MerkleHash(hex: $0) }) else {
                throw .protocolViolation("\(reply) reply with a \"\(key)\" entry that is not a hex hash")
            }
            hashes.append(hash)
        }
        return hashes
    }
}
