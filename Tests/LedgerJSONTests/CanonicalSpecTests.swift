import LedgerJSON
import LedgerTestSupport
import Testing

/// The canonical form Protocols/proofs.md promises for stored `data` and `meta`, checked with both ways the library
/// writes it (from a parsed value, and straight from a parsed document as the event log stores it).
@Suite("Canonical JSON examples of the proofs spec")
struct CanonicalSpecTests {
    @Test("each canonical-json example's first line is stored as its second, byte for byte")
    func examples() throws {
        let blocks = try SpecDocument("Protocols/proofs.md").blocks(["canonical-json"])
        #expect(blocks.count >= 2)
        for block in blocks {
            try #require(block.lines.count == 2, "line \(block.line): a submitted line and a stored line")
            let (submitted, stored) = (Array(block.lines[0].utf8), Array(block.lines[1].utf8))
            #expect(try JSONParser.parse(submitted).canonicalBytes == stored, "line \(block.line)")
            #expect(try JSONDocument.parsing(submitted).root.canonicalBytes == stored, "line \(block.line)")
        }
    }

    @Test("a block that is never closed is an error, not a silently skipped example")
    func unclosedFence() throws {
        let document = SpecDocument(
            name: "unclosed.md",
            text: "```transcript\n> PING\n< PONG\n### Next\n```sh\nls\n```\n"
        )
        #expect(throws: SpecDocument.UnclosedFence.self) { try document.blocks() }
        let unfinished = SpecDocument(name: "unfinished.md", text: "text\n```transcript\n> PING\n")
        #expect(throws: SpecDocument.UnclosedFence.self) { try unfinished.blocks() }
        let fine = SpecDocument(name: "fine.md", text: "```transcript\n> PING\n```\n```sh\nls\n```\n")
        #expect(try fine.blocks().map(\.info) == ["transcript", "sh"])
    }
}
