import LedgerProofs
import Testing

@Suite("Checkpoints")
struct CheckpointTests {
    static let origin = "ledger.example.org/council-7"
    static let root = hash("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")

    @Test("a checkpoint's text is origin, decimal size and base64 root, each on its own line")
    func text() throws {
        let checkpoint = try Checkpoint(origin: Self.origin, size: 8, root: Self.root)
        #expect(checkpoint.text == "\(Self.origin)\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")
        #expect(try Checkpoint(parsing: checkpoint.text) == checkpoint)
        let empty = try Checkpoint(origin: Self.origin, size: 0, root: .emptyTree)
        #expect(empty.text == "\(Self.origin)\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        let extended = try Checkpoint(parsing: checkpoint.text + "extension one\nextension two\n")
        #expect(extended.extensions == ["extension one", "extension two"])
        #expect(extended.text == checkpoint.text + "extension one\nextension two\n")
    }

    @Test("the C2SP specification's example checkpoint parses")
    func specExample() throws {
        let note = """
            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=

            """
        let signed = try SignedNote(parsing: note)
        let checkpoint = try Checkpoint(parsing: signed.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.root == hash("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62"))
        #expect(signed.signatures.first?.keyName == "example.com/behind-the-sofa")
    }

    @Test("sign, format, parse and verify round trip; a changed size or root, or another key, is rejected")
    func roundTrip() throws {
        let signer = try CheckpointSigner(privateKeyText: KeyFile.generate(name: Self.origin).privateKey)
        let checkpoint = try Checkpoint(origin: Self.origin, size: 8, root: Self.root)
        let note = try signer.sign(checkpoint).formatted
        #expect(note.hasPrefix(checkpoint.text + "\n\u{2014} \(Self.origin) "))
        #expect(try Checkpoint(verifying: note, with: signer.verifier) == checkpoint)

        let label = "\(Self.origin)+\(hex8(signer.keyID))"
        #expect(throws: NoteError.invalidSignature(key: label)) {
            try Checkpoint(verifying: note.replacing("\n8\n", with: "\n9\n"), with: signer.verifier)
        }
        let otherRoot = try Checkpoint(origin: Self.origin, size: 8, root: .emptyTree)
        #expect(throws: NoteError.invalidSignature(key: label)) {
            try Checkpoint(verifying: note.replacing(checkpoint.text, with: otherRoot.text), with: signer.verifier)
        }
        let other = try CheckpointSigner(privateKeyText: KeyFile.generate(name: Self.origin).privateKey)
        #expect(throws: NoteError.unsigned(key: "\(Self.origin)+\(hex8(other.keyID))")) {
            try Checkpoint(verifying: note, with: other.verifier)
        }
        // A cosignature by another key does not disturb verification with the log's key.
        let cosigned = try other.sign(checkpoint).signatures[0]
        let both = try SignedNote(text: checkpoint.text, signatures: signer.sign(checkpoint).signatures + [cosigned])
        #expect(try Checkpoint(verifying: both.formatted, with: signer.verifier) == checkpoint)
        #expect(try Checkpoint(verifying: both.formatted, with: other.verifier) == checkpoint)
    }

    @Test(
        "malformed checkpoint texts are refused",
        arguments: [
            "", "origin\n8\n", "origin\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
            "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "origin\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "origin\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "origin\n 8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "origin\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ==\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt-0lgz+Nw7/RgQyg=\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt L0lgz+Nw7/RgQyg=\n",
            "origin\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqtl0lgz+Nw7/RgQyg=\n\n",
            "origin\u{7}\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqtl0lgz+Nw7/RgQyg=\n",
        ]
    )
    func malformed(text: String) {
        #expect(throws: NoteError.self) { try Checkpoint(parsing: text) }
    }

    @Test("origins and extension lines must be non-empty single lines")
    func invalidFields() {
        #expect(throws: NoteError.self) { try Checkpoint(origin: "", size: 1, root: Self.root) }
        #expect(throws: NoteError.self) { try Checkpoint(origin: "a\nb", size: 1, root: Self.root) }
        #expect(throws: NoteError.self) { try Checkpoint(origin: "a", size: 1, root: Self.root, extensions: [""]) }
    }
}
