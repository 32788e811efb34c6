import LedgerWire

extension DecimalArgument {
    /// The refusal of a `name` argument of `verb` that is not a number in range.
    static func refusal(_ verb: Verb, _ name: String, got word: String) -> ProtocolError {
        ProtocolError(
            .badRequest,
            "\(verb.rawValue): \(name) must be an integer from 0 to \(maximum), got \"\(word.prefix(32))\""
        )
    }
}
