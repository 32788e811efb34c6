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
        guard let dash = stream.utf8.firstIndex(of: UInt8(ascii: "-")),
            let kind = EntityKind(rawValue: String(stream[..<dash]))
        else { return nil }
        let id = String(stream[stream.index(after: dash)...])
        guard Identifier.isValid(id), Identifier.isValid(stream) else { return nil }
        return (kind, id)
    }
}
