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

    /// The whole state as canonical JSON lines: a header `{"format":1,"position":N,"recorded":"..."}`, then every fact
    /// in log order, one per line (canonical JSON never holds a raw newline). Deterministic, so a rebuild equals the
    /// incrementally built state byte for byte; line by line, so it can be decoded without one giant JSON tree.
    public func encoded() -> [UInt8] {
        let header: JSONValue = [
            "format": .int(Self.stateFormat), "position": .int(Int64(clamping: position)),
            "recorded": .string(lastRecorded),
        ]
        var buffer = header.canonicalBytes
        facts.writeEncodedEvents(to: &buffer)
        return buffer
    }

    /// Decodes state written by `encoded()`.
    /// - Throws: `ProjectionStateError` when the bytes are not state of this format.
    public init(decoding bytes: [UInt8]) throws(ProjectionStateError) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let first = lines.first, let header = try? JSONParser.parse(first),
            header["format"]?.int64Value == Self.stateFormat, let position = header["position"]?.int64Value,
            position >= 0, let recorded = header["recorded"]?.stringValue
        else { throw ProjectionStateError(message: "not projection state of format \(Self.stateFormat)") }
        self.init()
        for line in lines.dropFirst() {
            guard let fact = try? JSONParser.parse(line), let factPosition = fact["position"]?.int64Value,
                factPosition > 0, let stream = fact["stream"]?.stringValue, let id = fact["id"]?.stringValue,
                let type = fact["type"]?.stringValue, let factRecorded = fact["recorded"]?.stringValue,
                let data = fact["data"]
            else { throw ProjectionStateError(message: "a fact is not JSON with its envelope fields") }
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
