/// Why a proposed event does not fit the catalogue: the offending field, as a path like `data.weights[1].weightBp`,
/// and a message that never repeats the field's value (values may be personal data).
public struct InvalidEvent: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the offending field: `stream`, `type`, `meta`, `meta.actor` or `data...`.
    public let field: String
    /// What is wrong with it.
    public let message: String

    /// An error about `field`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
