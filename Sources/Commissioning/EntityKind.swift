import LedgerJSON

/// The kinds of entity; each entity has its own stream, named `<kind>-<id>`.
public enum EntityKind: String, Sendable, CaseIterable {
    case commissioner
    case provider
    case consortium
    case `case`
    case requirement
    case contract

    /// Whether entities of this kind make up the registries (commissioners, providers, consortia) rather than the
    /// histories of commissioning (cases, requirements, contracts).
    public var isRegistry: Bool { self == .commissioner || self == .provider || self == .consortium }

    /// The stream of the entity `id` of this kind, e.g. `provider-P1`.
    public func stream(_ id: String) -> String { "\(rawValue)-\(id)" }

    /// Splits an entity stream name into its kind and id; nil when the name is not `<kind>-<id>` with a valid id.
    public static func parse(stream: String) -> (kind: EntityKind, id: String)? {
        stream.withUTF8Buffer(parse(utf8:))
    }

    /// `parse(stream:)` of a name's UTF-8.
    static func parse(utf8 stream: UnsafeBufferPointer<UInt8>) -> (kind: EntityKind, id: String)? {
        guard Identifier.isValid(stream), let dash = stream.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let name = UnsafeBufferPointer(rebasing: stream[..<dash])
        let kind: EntityKind
        switch name.count {
        case 4 where name.hasSameBytes(as: "case"): kind = .case
        case 8 where name.hasSameBytes(as: "provider"): kind = .provider
        case 8 where name.hasSameBytes(as: "contract"): kind = .contract
        case 10 where name.hasSameBytes(as: "consortium"): kind = .consortium
        case 11 where name.hasSameBytes(as: "requirement"): kind = .requirement
        case 12 where name.hasSameBytes(as: "commissioner"): kind = .commissioner
        default: return nil
        }
        let id = UnsafeBufferPointer(rebasing: stream[(dash + 1)...])
        guard let first = id.first, Identifier.isAlphanumeric(first) else { return nil }
        return (kind, String(decoding: id, as: UTF8.self))
    }
}
