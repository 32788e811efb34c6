import LedgerProtocol
import Testing

extension RequestParserTests {
    @Test("READBACK takes a stream, a version to go down from (0 or none: the last) and a limit; STREAM a stream")
    func streamReads() throws {
        #expect(try parse("READBACK notes-42") == .readBack(stream: "notes-42", from: 0, limit: nil))
        #expect(try parse("readback notes-42 0 1") == .readBack(stream: "notes-42", from: 0, limit: 1))
        #expect(try parse("STREAM notes-42") == .stream(name: "notes-42"))
        for line in ["READBACK", "READBACK s x", "READBACK s 1 0", "READBACK s 1 2 3", "STREAM", "STREAM a b"] {
            #expect(code(line) == .badRequest, "\(line)")
        }
        for verb in [Verb.readBack, .stream] {
            #expect(Role.allCases.filter { $0.allows(verb) } == Role.allCases.filter { $0.allows(.read) })
        }
    }
}
