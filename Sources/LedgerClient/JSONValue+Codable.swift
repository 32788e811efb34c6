import Foundation
import LedgerJSON
import LedgerWire

extension JSONValue {
    /// The JSON of `value` as `encoder` writes it.
    /// - Throws: `EncodingError`, or `JSONError` when the encoder's output is not strict JSON (a non-finite number).
    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        self = try JSONParser.parse(Array(try encoder.encode(value)))
    }

    /// An event object for `append`: `type`, `data` encoded from `data`, `meta`, and a fresh time-ordered (UUIDv7)
    /// `id` unless one is given, so that a retry of the same value is recognised as a duplicate.
    public static func event(
        type: String,
        data: some Encodable,
        meta: JSONValue = [:],
        id: EventID = .v7(),
        encoder: JSONEncoder = JSONEncoder()
    ) throws -> JSONValue {
        [
            "id": .string(id.description), "type": .string(type),
            "data": try JSONValue(encoding: data, encoder: encoder), "meta": meta,
        ]
    }

    /// This value decoded as `type` by `decoder`.
    public func decoded<T: Decodable>(as type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(canonicalBytes))
    }
}

extension LedgerEvent {
    /// The event's `data` decoded as `type` (`decoder` defaults to a plain `JSONDecoder`).
    public func decodeData<T: Decodable>(as type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try data.decoded(as: type, decoder: decoder)
    }
}
