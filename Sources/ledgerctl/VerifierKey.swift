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

/// A `--witness` argument: a witness's verifier key (signature type 0x04) as its text, or a file holding it.
enum WitnessKey {
    /// The witness verifier `argument` names.
    /// - Throws: a usage failure (exit 2) when it is neither a witness key nor a readable file holding one.
    static func load(_ argument: String) throws(CommandFailure) -> CosignatureVerifier {
        if let verifier = try? CosignatureVerifier(parsing: argument) { return verifier }
        do {
            return try CosignatureVerifier(parsing: try InputFile.text(of: argument))
        } catch {
            throw .usage("--witness is neither a witness verifier key nor a file holding one: \(error)")
        }
    }
}
