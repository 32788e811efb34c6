import LedgerProofs

/// A `--key` argument: a C2SP verifier key given as its text, or as a file holding it (`ledgerd keygen`'s KEY.pub).
enum VerifierKey {
    /// The verifier `argument` names.
    /// - Throws: a usage failure (exit 2) when it is neither a key nor a readable file holding one.
    static func load(_ argument: String) throws(CommandFailure) -> NoteVerifier {
        if let verifier = try? NoteVerifier(parsing: argument) { return verifier }
        do {
            return try NoteVerifier(parsing: try InputFile.text(of: argument))
        } catch {
            throw .usage("--key is neither a verifier key nor a file holding one: \(error)")
        }
    }
}
