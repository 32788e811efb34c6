/// A C2SP tlog-checkpoint: the note text naming a log's origin, tree size and root,
/// `<origin>\n<size>\n<base64 root>\n`, optionally followed by non-empty extension lines.
public struct Checkpoint: Sendable, Hashable {
    /// The log's identity, by convention a schema-less URL such as `ledger.example.org/council-7`.
    public let origin: String
    /// The number of leaves in the tree.
    public let size: UInt64
    /// The RFC 6962 root of the first `size` leaves.
    public let root: MerkleHash
    /// Opaque extension lines (this log writes none).
    public let extensions: [String]

    /// A checkpoint for a tree head.
    /// - Throws: `NoteError.malformedCheckpoint` when the origin is empty or any line has a newline or control
    ///   character, or an extension line is empty.
    public init(origin: String, size: UInt64, root: MerkleHash, extensions: [String] = []) throws(NoteError) {
        guard ([origin] + extensions).allSatisfy({ !$0.isEmpty && !$0.contains("\n") && NoteFormat.isValidText($0) })
        else { throw .malformedCheckpoint("the origin and extension lines must be non-empty single lines") }
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// Parses a checkpoint from a note text (not verified: use `init(verifying:with:)` for notes from elsewhere).
    /// - Throws: `NoteError.malformedCheckpoint` naming the line that is wrong.
    public init(parsing text: String) throws(NoteError) {
        guard text.hasSuffix("\n") else { throw .malformedCheckpoint("the text must end in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else { throw .malformedCheckpoint("expected origin, size and root lines") }
        let digits = lines[1].utf8
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            digits.first != UInt8(ascii: "0") || digits.count == 1, let size = UInt64(lines[1])
        else { throw .malformedCheckpoint("the size must be a decimal number without leading zeros") }
        guard let bytes = Base64.decode(lines[2]), let root = MerkleHash(bytes) else {
            throw .malformedCheckpoint("the root must be the base64 of 32 bytes")
        }
        try self.init(origin: String(lines[0]), size: size, root: root, extensions: lines.dropFirst(3).map(String.init))
    }

    /// Parses a signed note, verifies it with `verifier` and parses its text as a checkpoint.
    /// - Important: this checks the signature, not the origin: compare `origin` with the log you expect.
    /// - Throws: `NoteError` when the note is malformed, not signed by the key, or not a checkpoint.
    public init(verifying note: String, with verifier: NoteVerifier) throws(NoteError) {
        let signed = try SignedNote(parsing: note)
        try signed.verify(with: verifier)
        try self.init(parsing: signed.text)
    }

    /// The note text.
    public var text: String {
        ([origin, String(size), Base64.encode(root.bytes)] + extensions).map { $0 + "\n" }.joined()
    }
}
