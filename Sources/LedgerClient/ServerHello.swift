import LedgerJSON
import LedgerProtocol

/// The server's answer to `HELLO`: who it is, what this peer may do, the head and the limits.
public struct ServerHello: Sendable, Hashable {
    /// The server's name (`ledgerd`).
    public var server: String
    /// The server's release.
    public var version: String
    /// The protocol version (1).
    public var protocolVersion: Int
    /// This peer's role; nil when neither its uid nor any of its groups is mapped.
    public var role: Role?
    /// The head position when the server answered.
    public var head: UInt64
    /// The longest request line the server accepts, in bytes.
    public var maxLineBytes: Int
    /// The most events one `APPEND` may carry.
    public var maxEventsPerAppend: Int
    /// The whole reply object, for fields not named above.
    public var json: JSONValue

    init(_ json: JSONValue) throws(LedgerClientError) {
        self.json = json
        server = try json.string("server", in: "HELLO")
        version = try json.string("version", in: "HELLO")
        protocolVersion = Int(clamping: try json.unsigned("protocol", in: "HELLO"))
        role = json["role"]?.stringValue.flatMap(Role.init(rawValue:))
        head = try json.unsigned("head", in: "HELLO")
        let limits = json["limits"] ?? .object([:])
        maxLineBytes = Int(clamping: try limits.unsigned("maxLineBytes", in: "HELLO"))
        maxEventsPerAppend = Int(clamping: try limits.unsigned("maxEventsPerAppend", in: "HELLO"))
    }
}
