import LedgerProofs
import Testing

/// The published key, note and signatures of golang.org/x/mod/sumdb/note's tests (`note_test.go`).
enum GoNoteVectors {
    static let peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSignature =
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSignature =
        "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
}

@Suite("Signed notes and note keys")
struct SignedNoteTests {
    typealias Go = GoNoteVectors

    @Test("the published verifier and signer keys parse and format back to the same text")
    func publishedKeys() throws {
        let verifier = try NoteVerifier(parsing: Go.peterKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.text == Go.peterKey)
        #expect(try NoteVerifier(parsing: Go.peterKey + "\n") == verifier)
        let signer = try CheckpointSigner(privateKeyText: Go.peterPrivateKey)
        #expect(signer.verifier == verifier)
        #expect(signer.privateKeyText == Go.peterPrivateKey)
        #expect(try NoteVerifier(parsing: Go.enochKey).keyID == 0xaf0c_fe78)
    }

    #if os(Linux)
    /// swift-crypto signs with BoringSSL's deterministic RFC 8032 Ed25519 on Linux (CryptoKit randomises).
    @Test("signing the published text gives the published signed note byte for byte")
    func knownAnswerSignature() throws {
        let signer = try CheckpointSigner(privateKeyText: Go.peterPrivateKey)
        #expect(try signer.sign(text: Go.text).formatted == Go.text + "\n" + Go.peterSignature)
    }
    #endif

    @Test("the published note verifies with each of its keys; a same-named key with another id did not sign it")
    func publishedNote() throws {
        let note = try SignedNote(parsing: Go.text + "\n" + Go.peterSignature + Go.enochSignature)
        #expect(note.text == Go.text)
        #expect(note.signatures.map(\.keyName) == ["PeterNeumann", "EnochRoot"])
        #expect(note.signatures[0].bytes.count == 64)
        #expect(note.formatted == Go.text + "\n" + Go.peterSignature + Go.enochSignature)
        try note.verify(with: NoteVerifier(parsing: Go.peterKey))
        try note.verify(with: NoteVerifier(parsing: Go.enochKey))
        let impostor = try CheckpointSigner(privateKeyText: KeyFile.generate(name: "PeterNeumann").privateKey)
        #expect(throws: NoteError.unsigned(key: "PeterNeumann+\(hex8(impostor.keyID))")) {
            try note.verify(with: impostor.verifier)
        }
    }

    @Test("a changed text or a changed signature from the trusted key is rejected")
    func tampering() throws {
        let verifier = try NoteVerifier(parsing: Go.peterKey)
        let changedText = Go.text.replacing("problem,", with: "problems,")
        #expect(throws: NoteError.invalidSignature(key: "PeterNeumann+c74f20a3")) {
            try SignedNote(parsing: changedText + "\n" + Go.peterSignature).verify(with: verifier)
        }
        let bytes = Array(Go.peterSignature.utf8)
        let longer = String(decoding: bytes[..<60] + Array("ABCD".utf8) + bytes[60...], as: UTF8.self)
        #expect(throws: NoteError.invalidSignature(key: "PeterNeumann+c74f20a3")) {
            try SignedNote(parsing: Go.text + "\n" + longer).verify(with: verifier)
        }
        // A bad signature by the trusted key rejects the note even when another of its signatures is good.
        #expect(throws: NoteError.invalidSignature(key: "PeterNeumann+c74f20a3")) {
            try SignedNote(parsing: Go.text + "\n" + Go.peterSignature + longer).verify(with: verifier)
        }
    }

    @Test(
        "malformed notes are refused",
        arguments: [
            Go.text,
            Go.text + "\n",
            Go.text + "\n" + Go.peterSignature.dropLast(),
            "\u{01}" + Go.text + "\n" + Go.peterSignature,
            Go.text + "\n"
                + "\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            Go.text + "\n" + Go.peterSignature + "Unexpected line.\n",
            Go.text + "\n"
                + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            Go.text + "\n" + "\u{2014} PeterNeumann x08go\n",
            Go.text + "\n" + "\u{2014} PeterNeumann AAAA\n",
            Go.text + "\n" + String(repeating: Go.peterSignature, count: 101),
        ]
    )
    func malformed(note: String) {
        #expect(throws: NoteError.self) { try SignedNote(parsing: note) }
    }

    @Test("every truncation and every one-character change of a key text is refused")
    func mangledKeys() {
        for (key, parse) in [
            (Go.peterKey, { (text: String) in _ = try NoteVerifier(parsing: text) }),
            (Go.peterPrivateKey, { (text: String) in _ = try CheckpointSigner(privateKeyText: text) }),
        ] {
            let bytes = Array(key.utf8)
            for start in 0..<bytes.count {
                for end in (start + 1)...bytes.count where start != 0 || end != bytes.count {
                    let part = String(decoding: bytes[start..<end], as: UTF8.self)
                    #expect(throws: NoteError.self, "\(part)") { try parse(part) }
                }
            }
            for index in bytes.indices {
                var changed = bytes
                changed[index] += 1
                let text = String(decoding: changed, as: UTF8.self)
                #expect(throws: NoteError.self, "\(text)") { try parse(text) }
            }
        }
        // A key of the wrong length and one of an unknown type, each with a matching key id.
        #expect(throws: NoteError.self) {
            try NoteVerifier(parsing: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: NoteError.self) {
            try NoteVerifier(parsing: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("generated keys: the private key text signs what the public key text verifies")
    func generatedKeys() throws {
        let keys = try KeyFile.generate(name: "ledger.example.org/council-7")
        #expect(keys.privateKey.hasPrefix("PRIVATE+KEY+ledger.example.org/council-7+"))
        #expect(!keys.privateKey.contains("\n") && !keys.publicKey.contains("\n"))
        let signer = try CheckpointSigner(privateKeyText: keys.privateKey)
        let verifier = try NoteVerifier(parsing: keys.publicKey)
        #expect(signer.verifier == verifier)
        try SignedNote(parsing: signer.sign(text: "hello\n").formatted).verify(with: verifier)
        #expect(try KeyFile.generate(name: "ledger.example.org/council-7") != keys)
        for name in ["", "bad name", "a+b", "tab\tname", "nbsp\u{A0}name"] {
            #expect(throws: NoteError.self, "\(name)") { try KeyFile.generate(name: name) }
        }
        #expect(throws: NoteError.self) { try CheckpointSigner(name: "short", privateKey: [1, 2, 3]) }
        #expect(throws: NoteError.self) { try NoteVerifier(name: "short", publicKey: [1, 2, 3]) }
    }
}

func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
