import LedgerJSON

/// An event's stream name: as given, or read in place from a stored envelope and made into a `String` only when
/// asked for (entity streams such as `contract-K012175` are mostly 16 bytes or more, past what a `String` holds
/// without a heap allocation, and the fold needs only the entity they name).
enum StreamText: Sendable {
    case text(String)
    case stored(JSONNode)

    /// The name as a `String`.
    var string: String {
        switch self {
        case .text(let text): text
        case .stored(let node): node.stringValue ?? ""
        }
    }

    /// The entity the name denotes (see `EntityKind.parse(stream:)`), read from its bytes.
    var entity: (kind: EntityKind, id: String)? {
        switch self {
        case .text(let text): EntityKind.parse(stream: text)
        case .stored(let node): node.withUnescapedUTF8(EntityKind.parse(utf8:)) ?? EntityKind.parse(stream: string)
        }
    }
}
