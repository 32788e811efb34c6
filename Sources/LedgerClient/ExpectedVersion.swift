/// The condition an append states about its stream's current version (optimistic concurrency).
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No condition.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must already have at least one event.
    case streamExists
    /// The stream must be at exactly this version (0 means empty).
    case exact(UInt64)

    /// Parses the wire form: `any`, `none`, `exists` or a non-negative decimal version.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "any": self = .any
        case "none": self = .noStream
        case "exists": self = .streamExists
        default:
            guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let version = UInt64(text)
            else { return nil }
            self = .exact(version)
        }
    }

    /// The wire form.
    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "none"
        case .streamExists: "exists"
        case .exact(let version): String(version)
        }
    }
}
