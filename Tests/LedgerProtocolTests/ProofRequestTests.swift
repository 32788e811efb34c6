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
    }

    @Test("missing, malformed or extra arguments are BAD_REQUEST")
    func errors() {
        for line in ["PROVE", "PROVE x", "PROVE 1 -2", "PROVE 1 2 3", "CONSISTENCY", "CONSISTENCY 1 y", "CHECKPOINT z"]
        {
            #expect(code(line) == .badRequest, "\(line)")
        }
        #expect(code(#"CHECKPOINT {"a":1}"#) == .badRequest)
    }

    @Test("auditors and ops may ask for proofs; readers and writers may not")
    func roles() {
        for verb in [Verb.prove, .consistency, .checkpoint] {
            #expect(Role.auditor.allows(verb) && Role.ops.allows(verb))
            #expect(!Role.reader.allows(verb) && !Role.writer.allows(verb))
        }
    }
}
