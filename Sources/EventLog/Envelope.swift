import LedgerJSON
import LedgerWire

/// The stored form of an event: one compact JSON object with its fields in a fixed order,
/// `{"position":..,"stream":..,"version":..,"id":..,"type":..,"recorded":..,"data":{..},"meta":{..}}`.
///
/// These bytes are what reads return and what the Merkle tree hashes.
enum Envelope {
    /// Appends the envelope for one event to `buffer`.
    static func write(
        position: UInt64,
        streamJSON: [UInt8],
        version: UInt64,
        event: ProposedEvent,
        recordedJSON: [UInt8],
        to buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: #"{"position":"#.utf8)
        buffer.appendDecimal(position)
        buffer.append(contentsOf: #","stream":"#.utf8)
        buffer.append(contentsOf: streamJSON)
        buffer.append(contentsOf: #","version":"#.utf8)
        buffer.appendDecimal(version)
        buffer.append(UInt8(ascii: ","))
        buffer.append(contentsOf: event.idAndType)
        buffer.append(contentsOf: #","recorded":"#.utf8)
        buffer.append(contentsOf: recordedJSON)
        buffer.append(contentsOf: #","data":"#.utf8)
        buffer.append(contentsOf: event.dataBytes)
        buffer.append(contentsOf: #","meta":"#.utf8)
        buffer.append(contentsOf: event.metaBytes)
        buffer.append(UInt8(ascii: "}"))
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> [UInt8] {
        var out = [UInt8]()
        JSONValue.writeString(text, to: &out)
        return out
    }

    /// The `"id":..,"type":..` members of an event's envelope.
    static func idAndType(id: EventID, type: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(52 + type.utf8.count)
        out.append(contentsOf: #""id":""#.utf8)
        id.appendText(to: &out)
        out.append(contentsOf: #"","type":"#.utf8)
        JSONValue.writeString(type, to: &out)
        return out
    }
}
