import LedgerJSON

/// Why encoded projection state could not be decoded.
public struct ProjectionStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let message: String

    public var description: String { message }
}

extension Projections {
    /// The version of the encoded state format.
    static let stateFormat: Int64 = 1

    /// The whole state as canonical JSON: the format, the position, the last recorded time and every fact in log
    /// order. Deterministic, so a rebuild equals the incrementally built state byte for byte.
    public func encoded() -> [UInt8] {
        let state: JSONValue = [
            "format": .int(Self.stateFormat),
            "position": .int(Int64(clamping: position)),
            "recorded": .string(lastRecorded),
            "facts": .array(facts.encodedEvents()),
        ]
        return state.canonicalBytes
    }

    /// Decodes state written by `encoded()`.
    /// - Throws: `ProjectionStateError` when the bytes are not state of this format.
    public init(decoding bytes: [UInt8]) throws(ProjectionStateError) {
        guard let state = try? JSONParser.parse(bytes), state["format"]?.int64Value == Self.stateFormat,
            let position = state["position"]?.int64Value, position >= 0,
            let recorded = state["recorded"]?.stringValue, let facts = state["facts"]?.arrayValue
        else { throw ProjectionStateError(message: "not projection state of format \(Self.stateFormat)") }
        self.init()
        for fact in facts {
            guard let factPosition = fact["position"]?.int64Value, factPosition > 0,
                let stream = fact["stream"]?.stringValue, let id = fact["id"]?.stringValue,
                let type = fact["type"]?.stringValue, let factRecorded = fact["recorded"]?.stringValue,
                let data = fact["data"]
            else { throw ProjectionStateError(message: "a fact lacks its envelope fields") }
            var meta: [String: JSONValue] = [:]
            meta.set("actor", fact["actor"])
            let applied = record(
                DomainEvent(
                    position: UInt64(factPosition),
                    stream: stream,
                    version: 0,
                    id: id,
                    type: type,
                    recorded: factRecorded,
                    data: data,
                    meta: .object(meta),
                    leafHash: fact["leafHash"]?.stringValue
                )
            )
            guard applied else {
                throw ProjectionStateError(message: "the fact at position \(factPosition) does not apply")
            }
        }
        guard UInt64(position) >= self.position else {
            throw ProjectionStateError(message: "the position is before the last fact")
        }
        self.position = UInt64(position)
        lastRecorded = recorded
    }
}
