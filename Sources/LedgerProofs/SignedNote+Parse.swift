extension SignedNote {
    /// Parses a signed note without verifying it.
    ///
    /// The text ends at the last blank line; every line after it must be a signature line.
    /// - Throws: `NoteError.malformedNote` naming what is wrong.
    public init(parsing note: String) throws(NoteError) {
        let bytes = Array(note.utf8)
        guard bytes.count <= Self.maximumSize else {
            throw .malformedNote("longer than \(Self.maximumSize) bytes")
        }
        guard NoteFormat.isValidText(note) else {
            throw .malformedNote("control characters other than newline are not allowed")
        }
        guard let split = bytes.indices.dropLast().last(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw .malformedNote("no blank line before the signatures")
        }
        let block = bytes[(split + 2)...]
        guard block.last == 0x0A else { throw .malformedNote("the signature lines must end in a newline") }
        var signatures = [Signature]()
        for line in block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard signatures.count < Self.maximumSignatures else {
                throw .malformedNote("more than \(Self.maximumSignatures) signatures")
            }
            signatures.append(try Self.signature(line))
        }
        try self.init(text: String(decoding: bytes[...split], as: UTF8.self), signatures: signatures)
    }

    private static func signature(_ line: ArraySlice<UInt8>) throws(NoteError) -> Signature {
        guard line.starts(with: NoteFormat.signaturePrefix) else {
            throw .malformedNote("a signature line must start with an em dash and a space")
        }
        let rest = line.dropFirst(NoteFormat.signaturePrefix.count)
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else {
            throw .malformedNote("a signature line needs a key name and a signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteFormat.isValidName(name) else {
            throw .malformedNote("a key name must be non-empty, without spaces or +")
        }
        guard let signature = Signature(keyName: name, encoded: String(decoding: rest[(space + 1)...], as: UTF8.self))
        else { throw .malformedNote("a signature must be base64 of a key id and signature bytes") }
        return signature
    }
}
