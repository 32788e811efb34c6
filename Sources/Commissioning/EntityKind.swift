/// The kinds of entity; each entity has its own stream, named `<kind>-<id>`.
public enum EntityKind: String, Sendable, CaseIterable {
    case commissioner
    case provider
    case consortium
    case `case`
    case requirement
    case contract

    /// The stream of the entity `id` of this kind, e.g. `provider-P1`.
    public func stream(_ id: String) -> String { "\(rawValue)-\(id)" }

    /// Splits an entity stream name into its kind and id; nil when the name is not `<kind>-<id>` with a valid id.
    public static func parse(stream: String) -> (kind: EntityKind, id: String)? {
        guard Identifier.isValid(stream), let dash = stream.utf8.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let kind: EntityKind
        switch stream.utf8.distance(from: stream.utf8.startIndex, to: dash) {
        case 4 where stream.hasPrefix("case"): kind = .case
        case 8 where stream.hasPrefix("provider"): kind = .provider
        case 8 where stream.hasPrefix("contract"): kind = .contract
        case 10 where stream.hasPrefix("consortium"): kind = .consortium
        case 11 where stream.hasPrefix("requirement"): kind = .requirement
        case 12 where stream.hasPrefix("commissioner"): kind = .commissioner
        default: return nil
        }
        let id = stream.utf8[stream.utf8.index(after: dash)...]
        guard let first = id.first, Identifier.isAlphanumeric(first) else { return nil }
        return (kind, String(Substring(id)))
    }
}
