import LedgerProtocol
import Testing

@Suite("Proof requests")
struct ProofRequestTests {
    func parse(_ text: String) throws(ProtocolError) -> Command {
        try RequestParser.parse(Array(text.utf8)[...])
    }

    func code(_ text: String) -> ErrorCode? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("PROVE, CONSISTENCY and CHECKPOINT parse with optional sizes")
    func verbs() throws {
        #expect(try parse("PROVE 6") == .prove(position: 6, size: nil))
        #expect(try parse("prove 6 8") == .prove(position: 6, size: 8))
        #expect(try parse("CONSISTENCY 6") == .consistency(oldSize: 6, newSize: nil))
        #expect(try parse("CONSISTENCY 0 8") == .consistency(oldSize: 0, newSize: 8))
        #expect(try parse("CHECKPOINT") == .checkpoint(size: nil))
        #expect(try parse("CHECKPOINT 8") == .checkpoint(size: 8))
        #expect(try parse("COSIGN 8 w.example/1 AAAA") == .cosign(size: 8, witness: "w.example/1", signature: "AAAA"))
        #expect(try parse("CHECKPOINTS") == .checkpoints(from: 0, limit: nil))
        #expect(try parse("checkpoints 100 10") == .checkpoints(from: 100, limit: 10))
        var line = [UInt8]()
        try RequestWriter.write(.cosign(size: 8, witness: "w.example/1", signature: "AAAA"), to: &line)
        #expect(String(decoding: line, as: UTF8.self) == "COSIGN 8 w.example/1 AAAA\n")
    }

    @Test("missing, malformed or extra arguments are BAD_REQUEST")
    func errors() {
        for line in [
            "PROVE", "PROVE x", "PROVE 1 -2", "PROVE 1 2 3", "CONSISTENCY", "CONSISTENCY 1 y", "CHECKPOINT z", "COSIGN",
            "COSIGN 8", "COSIGN 8 w", "COSIGN x w s", "COSIGN 8 w s extra", "CHECKPOINTS x", "CHECKPOINTS 1 0",
            "CHECKPOINTS 1 2 3",
        ] {
            #expect(code(line) == .badRequest, "\(line)")
        }
        #expect(code(#"CHECKPOINT {"a":1}"#) == .badRequest)
    }

    @Test("auditors and ops may ask for proofs; readers and writers may not")
    func roles() {
        for verb in [Verb.prove, .consistency, .checkpoint, .checkpoints] {
            #expect(Role.auditor.allows(verb) && Role.ops.allows(verb))
            #expect(!Role.reader.allows(verb) && !Role.writer.allows(verb))
        }
    }

    @Test("a witness may do what an auditor may, and COSIGN; only witnesses and ops may cosign")
    func witnessRole() {
        for verb in Verb.allCases where verb != .cosign {
            #expect(Role.witness.allows(verb) == Role.auditor.allows(verb), "\(verb)")
        }
        #expect(Role.witness.allows(.cosign) && Role.ops.allows(.cosign))
        #expect(![Role.reader, .writer, .auditor, .replica].contains { $0.allows(.cosign) })
    }
}
