import Foundation
import LedgerProofs
import LedgerTestSupport
import Testing

/// Checks every example of Protocols/proofs.md the way an auditor would: the keys match, the checkpoints verify
/// with the verifier key, and the proofs in the replies verify against the checkpoints' roots.
@Suite("Proofs spec examples")
struct ProofsSpecTests {
    /// The fenced blocks of Protocols/proofs.md with the given info string, in order.
    static func blocks(_ kind: String) throws -> [String] {
        try SpecDocument("Protocols/proofs.md").blocks([kind]).map(\.text)
    }

    /// The JSON object of each `< OK ` reply, by the command sent before it.
    static func replies() throws -> [String: [String: Any]] {
        var replies = [String: [String: Any]]()
        for block in try blocks("proof-transcript") {
            let lines = block.split(separator: "\n")
            for (request, reply) in zip(lines, lines.dropFirst()) where request.hasPrefix("> ") {
                let json = try #require(reply.hasPrefix("< OK ") ? reply.dropFirst(5) : nil)
                let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
                replies[String(request.dropFirst(2))] = try #require(object as? [String: Any])
            }
        }
        return replies
    }

    static func verifier() throws -> NoteVerifier {
        try NoteVerifier(parsing: #require(blocks("verifier-key").first))
    }

    static func checkpoints() throws -> [UInt64: Checkpoint] {
        let verifier = try verifier()
        var checkpoints = [UInt64: Checkpoint]()
        for note in try blocks("checkpoint") {
            let checkpoint = try Checkpoint(verifying: note, with: verifier)
            #expect(checkpoint.origin == verifier.name)
            #expect(checkpoint.root == ReferenceTree.mth(referenceLeaves[..<Int(checkpoint.size)]))
            checkpoints[checkpoint.size] = checkpoint
        }
        return checkpoints
    }

    static func hashes(_ value: Any?) throws -> [MerkleHash] {
        let strings = try #require(value as? [String])
        return try strings.map { try #require(MerkleHash(hex: $0)) }
    }

    @Test("the example private key belongs to the example verifier key")
    func keys() throws {
        let signer = try CheckpointSigner(privateKeyText: #require(Self.blocks("private-key").first))
        #expect(signer.verifier == (try Self.verifier()))
        #expect(signer.privateKeyText + "\n" == (try Self.blocks("private-key").first))
        #if os(Linux)
        for note in try Self.blocks("checkpoint") {
            let checkpoint = try Checkpoint(parsing: SignedNote(parsing: note).text)
            #expect(try signer.sign(checkpoint).formatted == note)
        }
        #endif
    }

    @Test("the example witness key, and its cosignature of the size-8 checkpoint, which the log's key still opens")
    func cosignedExample() throws {
        let cosigner = try Cosigner(privateKeyText: #require(Self.blocks("witness-private-key").first))
        let witness = try CosignatureVerifier(parsing: #require(Self.blocks("witness-verifier-key").first))
        #expect(cosigner.verifier == witness)
        let text = try #require(Self.blocks("cosigned-checkpoint").first)
        let cosigned = try SignedNote(parsing: text)
        #expect(try witness.verify(cosigned) == 1_796_601_600)
        try cosigned.verify(with: Self.verifier())
        #expect(try Checkpoint(parsing: cosigned.text).size == 8)
        let logOnly = try #require(Self.blocks("checkpoint").last)
        #if os(Linux)
        let signature = try cosigner.cosign(SignedNote(parsing: logOnly), time: 1_796_601_600)
        #expect(try SignedNote(parsing: logOnly).adding(signature).formatted == text)
        #endif
    }

    @Test("the example checkpoints verify with the example key and sign the example tree's roots")
    func checkpoints() throws {
        let checkpoints = try Self.checkpoints()
        #expect(checkpoints.keys.sorted() == [6, 8])
    }

    @Test("the PROVE example verifies against the signed checkpoint of its size")
    func prove() throws {
        let reply = try #require(try Self.replies()["PROVE 6 8"])
        let checkpoint = try #require(try Self.checkpoints()[8])
        let leaf = MerkleHash.leaf(referenceInputs[5])
        #expect(reply["leaf"] as? String == leaf.description)
        #expect(reply["position"] as? Int == 6 && reply["index"] as? Int == 5 && reply["size"] as? Int == 8)
        #expect(reply["root"] as? String == checkpoint.root.description)
        try MerkleProofs.verifyInclusion(
            leafHash: leaf,
            index: 5,
            treeSize: checkpoint.size,
            proof: Self.hashes(reply["proof"]),
            root: checkpoint.root
        )
    }

    @Test("the CONSISTENCY example verifies between the two signed checkpoints")
    func consistency() throws {
        let reply = try #require(try Self.replies()["CONSISTENCY 6 8"])
        let checkpoints = try Self.checkpoints()
        let old = try #require(checkpoints[6])
        let new = try #require(checkpoints[8])
        #expect(reply["oldRoot"] as? String == old.root.description)
        #expect(reply["newRoot"] as? String == new.root.description)
        try MerkleProofs.verifyConsistency(
            oldSize: old.size,
            newSize: new.size,
            oldRoot: old.root,
            newRoot: new.root,
            proof: Self.hashes(reply["proof"])
        )
    }

    @Test("the CHECKPOINT example carries a note that verifies and matches its size and root")
    func checkpointReply() throws {
        let reply = try #require(try Self.replies()["CHECKPOINT 8"])
        let note = try #require(reply["note"] as? String)
        let checkpoint = try Checkpoint(verifying: note, with: Self.verifier())
        #expect(reply["size"] as? Int == Int(checkpoint.size))
        #expect(reply["root"] as? String == checkpoint.root.description)
        #expect(try Self.checkpoints()[8] == checkpoint)
    }
}
