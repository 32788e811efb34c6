/// The optimistic-concurrency condition an append states about its stream.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No condition.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must already have at least one event.
    case streamExists
    /// The stream's current version must be exactly this (0 means the stream is empty).
    case exact(UInt64)

    /// The words an expected version may be instead of a number (compared in lower case).
    public static let keywords: Set<String> = ["any", "none", "exists"]

    /// Parses the wire form: `any`, `none`, `exists` (in any case) or a version by `DecimalArgument`'s rule.
    public init?(_ text: some StringProtocol) {
        switch text.lowercased() {
        case "any": self = .any
        case "none": self = .noStream
        case "exists": self = .streamExists
        default:
            guard let version = DecimalArgument.parse(text) else { return nil }
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

    /// Whether a stream currently at `version` (0 when empty) satisfies the condition.
    public func isSatisfied(byCurrent version: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: version == 0
        case .streamExists: version > 0
        case .exact(let expected): expected == version
        }
    }
}
