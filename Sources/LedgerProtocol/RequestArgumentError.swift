/// An argument `RequestWriter` refuses because the line would not mean what was asked; nothing was written.
public struct RequestArgumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the argument cannot be written.
    public enum Reason: Sendable, Hashable {
        /// It is empty, starts like JSON (`{` or `[`) or has a space or control character, so it is not one word.
        case notAWord
        /// It is a first `QUERY` word `AFTER` without a position, which would be read as the `AFTER` clause.
        case readsAsAfterClause
        /// It is an `APPEND`'s events that are neither an object nor an array, which would be read as words.
        case notObjectOrArray
    }

    /// The verb of the refused line.
    public var verb: Verb
    /// The argument as given (for events, their JSON).
    public var argument: String
    /// Why it was refused.
    public var reason: Reason

    /// The refusal of `argument` of `verb` for `reason`.
    public init(_ verb: Verb, _ argument: String, _ reason: Reason) {
        self.verb = verb
        self.argument = argument
        self.reason = reason
    }

    /// One line naming the verb, the argument (its first 64 characters) and the reason.
    public var description: String {
        let quoted = "\(verb.rawValue) argument \"\(argument.prefix(64))\""
        return switch reason {
        case .notAWord: "\(quoted) is empty, starts like JSON or has a space or control character"
        case .readsAsAfterClause: "\(quoted) cannot come first: it would be read as the AFTER clause"
        case .notObjectOrArray: "\(quoted) is not an event object or an array of them"
        }
    }
}
