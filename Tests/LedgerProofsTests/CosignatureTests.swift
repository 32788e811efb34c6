import Crypto
import Foundation
import LedgerProofs
import Testing

/// Witness cosignatures (C2SP tlog-cosignature, Ed25519 `cosignature/v1`) checked against an implementation written
/// here from the C2SP text alone, and against the spec's own example.
@Suite("Witness cosignatures")
struct CosignatureTests {
    /// The spec's example checkpoint body (tlog-cosignature "Ed25519 signed message").
    static let body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

    /// `SHA-256(name || "\n" || 0x04 || public key)[:4]`, by hand.
    static func keyID(_ name: String, _ publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x04] + publicKey)).prefix(4).map { $0 }
    }

    /// The signed message, by hand: the header line, the time line, then the note body.
    static func message(_ time: UInt64, _ body: String) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n".utf8) + Array(body.utf8)
    }

    static func bigEndian(_ time: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: time >> (56 - 8 * $0)) }
    }

    @Test("a cosignature made by hand from the C2SP text verifies, and its time comes back")
    func independentSigner() throws {
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = Array(key.publicKey.rawRepresentation)
        let name = "witness.example.com/w1"
        let time: UInt64 = 1_679_315_147
        let signature = try key.signature(for: Self.message(time, Self.body))
        let line =
            "\u{2014} \(name) "
            + Data(Self.keyID(name, publicKey) + Self.bigEndian(time) + signature).base64EncodedString()
        let logKey = try CheckpointSigner(
            name: "example.com/behind-the-sofa",
            privateKey: Array(repeating: 7, count: 32)
        )
        let note = try SignedNote(parsing: logKey.sign(text: Self.body).formatted + line + "\n")
        let vkey =
            "\(name)+" + Self.keyID(name, publicKey).map { String(format: "%02x", $0) }.joined() + "+"
            + Data([0x04] + publicKey).base64EncodedString()
        let verifier = try CosignatureVerifier(parsing: vkey)
        #expect(verifier.text == vkey)
        #expect(try verifier.verify(note) == time)
        try note.verify(with: logKey.verifier)

        // One changed byte of the body, or another time under the same signature, does not verify.
        let changed = try SignedNote(
            text: Self.body.replacingOccurrences(of: "20852163", with: "20852164"),
            signatures: note.signatures
        )
        #expect(throws: NoteError.invalidSignature(key: "\(name)+\(vkey.split(separator: "+")[1])")) {
            try verifier.verify(changed)
        }
        var forged = try #require(note.signatures.last).bytes
        forged[7] ^= 1
        let later = try note.adding(SignedNote.Signature(keyName: name, keyID: verifier.keyID, bytes: forged))
        #expect(throws: NoteError.self) { try verifier.verify(later) }
    }

    @Test("Cosigner's cosignature verifies by hand: key id, time and Ed25519 signature over the C2SP message")
    func independentVerifier() throws {
        let cosigner = try Cosigner.generate(name: "audit.council.example/witness")
        let reparsed = try Cosigner(privateKeyText: cosigner.privateKeyText)
        #expect(reparsed.verifier == cosigner.verifier)
        let logKey = try CheckpointSigner(
            name: "example.com/behind-the-sofa",
            privateKey: Array(repeating: 9, count: 32)
        )
        let note = try logKey.sign(text: Self.body)
        let signature = try cosigner.cosign(note, time: 1_700_000_000)
        let publicKey = cosigner.verifier.publicKey
        #expect(signature.keyID == Self.keyID(cosigner.name, publicKey).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        #expect(Array(signature.bytes.prefix(8)) == Self.bigEndian(1_700_000_000))
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        #expect(key.isValidSignature(signature.bytes.dropFirst(8), for: Self.message(1_700_000_000, Self.body)))
        // The log's own signature still verifies with a cosignature line added, and the cosigner key is not a log key.
        let cosigned = try SignedNote(parsing: note.adding(signature).formatted)
        try cosigned.verify(with: logKey.verifier)
        #expect(try cosigner.verifier.verify(cosigned) == 1_700_000_000)
        #expect(throws: NoteError.self) { try NoteVerifier(parsing: cosigner.verifier.text) }
        #expect(throws: NoteError.self) { try CosignatureVerifier(parsing: logKey.verifier.text) }
    }

    @Test("the spec's example cosignature line parses with the time its example message shows")
    func specExample() throws {
        let line =
            "\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
        let log =
            "\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        let note = try SignedNote(parsing: Self.body + "\n" + log + line)
        let witness = try #require(note.signatures.last)
        #expect(witness.keyName == "witness.example.com/w1" && witness.bytes.count == 72)
        #expect(witness.bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == 1_679_315_147)
    }
}
