/// A query that cannot be answered, with a stable wire code.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `BAD_REQUEST` (the arguments are wrong), `NOT_FOUND` (the entity does not exist) or `INTERNAL` (what the
    /// answer needs from elsewhere could not be read).
    public let code: String
    /// A clear, human message.
    public let message: String

    /// The arguments are wrong.
    static func badRequest(_ message: String) -> QueryError { QueryError(code: "BAD_REQUEST", message: message) }

    /// The entity does not exist.
    static func notFound(_ kind: EntityKind, _ id: String) -> QueryError {
        QueryError(code: "NOT_FOUND", message: "no \(kind.rawValue) \(id)")
    }

    /// What the answer needs from elsewhere (such as the log's leaf hashes) could not be read.
    public static func `internal`(_ message: String) -> QueryError { QueryError(code: "INTERNAL", message: message) }

    public var description: String { "\(code): \(message)" }
}
