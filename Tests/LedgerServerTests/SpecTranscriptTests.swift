import Foundation
import LedgerTestSupport
import Testing

/// Replays every `transcript` block of Protocols/line-protocol.md against a fresh daemon (signing checkpoints with a
/// key named `ledger.example.org/spec`), and those of Protocols/projections.md against another, in order, one
/// connection per block. `>` lines are sent; `<` lines must come
/// back, where `*` matches any run of characters.
@Suite("Protocol spec transcripts", .serialized)
struct SpecTranscriptTests {
    @Test("every example in the line-protocol spec is what the daemon does", .timeLimit(.minutes(2)))
    func replaySpec() throws {
        let blocks = try Self.transcripts(in: "Protocols/line-protocol.md")
        #expect(blocks.count >= 8)
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.example.org/spec")
        try daemon.start(["--config", signing.config])
        defer { daemon.stop() }
        try Self.replay(blocks, on: daemon)
    }

    @Test("the projections spec's worked example gives its figures, to the penny", .timeLimit(.minutes(2)))
    func replayProjections() throws {
        let blocks = try Self.transcripts(in: "Protocols/projections.md")
        #expect(blocks.count >= 2)
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        try Self.replay(blocks, on: daemon)
    }

    /// Replays `blocks` in order, one connection each.
    static func replay(_ blocks: [[Step]], on daemon: DaemonProcess) throws {
        for (index, block) in blocks.enumerated() {
            let client = try daemon.connect()
            for step in block {
                switch step {
                case .send(let line):
                    try client.send(line)
                case .expect(let pattern):
                    let line = try client.readLine() ?? "<closed>"
                    #expect(Glob.matches(pattern, line), "block \(index + 1): expected \(pattern)\n got \(line)")
                }
            }
        }
    }

    enum Step {
        case send(String)
        case expect(String)
    }

    static func transcripts(in document: String) throws -> [[Step]] {
        try SpecDocument(document).blocks(["transcript"]).map { block in
            block.lines.compactMap { line in
                if line.hasPrefix("> ") { return .send(String(line.dropFirst(2))) }
                if line.hasPrefix("< ") { return .expect(String(line.dropFirst(2))) }
                return nil
            }
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}
