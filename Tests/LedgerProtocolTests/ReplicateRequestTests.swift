import LedgerProtocol
import Testing

extension RequestParserTests {
    @Test("REPLICATE takes the position to read from, the one stored and a limit; replicas and ops may send it")
    func replicate() throws {
        #expect(try parse("REPLICATE 5 4") == .replicate(from: 5, stored: 4, limit: nil))
        #expect(try parse("replicate 1 0 4096") == .replicate(from: 1, stored: 0, limit: 4096))
        for line in [
            "REPLICATE", "REPLICATE 5", "REPLICATE x 4", "REPLICATE 5 -1", "REPLICATE 5 4 0", "REPLICATE 5 4 9 9",
        ] {
            #expect(code(line) == .badRequest, "\(line)")
        }
        #expect(Role.ops.allows(.replicate) && Role.replica.allows(.replicate))
        #expect(![Role.reader, .writer, .auditor].contains { $0.allows(.replicate) })
        // A replica may do what an auditor may, and no more but REPLICATE, STORED and FENCE.
        for verb in Verb.allCases where ![.replicate, .stored, .fence].contains(verb) {
            #expect(Role.replica.allows(verb) == Role.auditor.allows(verb), "\(verb)")
        }
    }

    @Test(
        "PROMOTE takes nothing and is for ops; FENCE takes an epoch of at least 1 and an address, for replicas and ops"
    )
    func promoteAndFence() throws {
        #expect(try parse("PROMOTE") == .promote)
        #expect(
            try parse("fence 2 /run/ledgerd/ledgerd.sock") == .fence(epoch: 2, primary: "/run/ledgerd/ledgerd.sock")
        )
        for line in ["PROMOTE now", "FENCE", "FENCE 2", "FENCE 0 /p", "FENCE x /p", "FENCE 2 /p extra"] {
            #expect(code(line) == .badRequest, "\(line)")
        }
        #expect(Role.allCases.filter { $0.allows(.promote) } == [.ops])
        #expect(Role.allCases.filter { $0.allows(.fence) } == [.replica, .ops])
        #expect(try parse("STORED 7") == .stored(position: 7))
        for line in ["STORED", "STORED x", "STORED 1 2"] { #expect(code(line) == .badRequest, "\(line)") }
        #expect(Role.allCases.filter { $0.allows(.stored) } == [.replica, .ops])
    }
}
