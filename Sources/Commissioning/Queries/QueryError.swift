/// Why a query has no answer; the server sends it as the wire error of the same name.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure, named as the wire protocol's error codes.
    public enum Code: String, Sendable, Equatable {
        /// The arguments are wrong.
        case badRequest = "BAD_REQUEST"
        /// The entity does not exist.
        case notFound = "NOT_FOUND"
        /// What the answer needs from elsewhere (such as the log's leaf hashes) could not be read.
        case `internal` = "INTERNAL"
        /// What answers it is not ready yet (the read models are being written afresh).
        case unavailable = "UNAVAILABLE"
    }

    public let code: Code
    /// A clear, human message.
    public let message: String

    /// The arguments are wrong.
    public static func badRequest(_ message: String) -> QueryError { QueryError(code: .badRequest, message: message) }

    /// The entity does not exist.
    static func notFound(_ kind: EntityKind, _ id: String) -> QueryError {
        QueryError(code: .notFound, message: "no \(kind.rawValue) \(id)")
    }

    /// What the answer needs from elsewhere (such as the log's leaf hashes) could not be read.
    public static func `internal`(_ message: String) -> QueryError { QueryError(code: .internal, message: message) }

    /// What answers it is not ready yet; asking again later gets the answer.
    public static func unavailable(_ message: String) -> QueryError { QueryError(code: .unavailable, message: message) }

    public var description: String { "\(code.rawValue): \(message)" }
}
