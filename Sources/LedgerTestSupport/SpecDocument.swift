import Foundation

/// A Markdown file of the repository (a spec or a guide), read for what its fenced blocks hold: the examples that
/// tests replay, so a document cannot drift from the code.
public struct SpecDocument: Sendable {
    /// The repository's root directory (this file is `Sources/LedgerTestSupport/SpecDocument.swift` in it).
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A fenced block: the info string after its opening fence, its lines, where it starts and what follows it.
    public struct Block: Sendable {
        /// The info string, such as `transcript` or `event` (empty for a bare fence).
        public var info: String
        /// The lines between the fences.
        public var lines: [String]
        /// The opening fence's line number (from 1).
        public var line: Int
        /// The line just after the closing fence, if any.
        public var following: String?

        /// The lines, each ended by a newline.
        public var text: String { lines.map { $0 + "\n" }.joined() }
    }

    /// The path relative to the repository, such as `Protocols/line-protocol.md`.
    public let name: String
    /// The whole text.
    public let text: String

    public init(_ name: String) throws {
        self.name = name
        text = try String(contentsOfFile: Self.repository + "/" + name, encoding: .utf8)
    }

    /// A document of `text`, named `name` in messages.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// A block that is never closed: its examples would silently not run, and the rest of the document would render
    /// as code.
    public struct UnclosedFence: Error, CustomStringConvertible {
        public let description: String
    }

    /// The fenced blocks whose info string is one of `infos` (every block when nil), in order.
    /// - Throws: `UnclosedFence` when a block meets another opening fence, or the end of the file, before its
    ///   closing fence.
    public func blocks(_ infos: Set<String>? = nil) throws(UnclosedFence) -> [Block] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else {
                index += 1
                continue
            }
            let info = String(lines[index].dropFirst(3))
            let start = index
            index += 1
            var body: [String] = []
            while index < lines.count, lines[index] != "```" {
                guard !lines[index].hasPrefix("```") else {
                    throw UnclosedFence(
                        description: "\(name):\(index + 1): a fence opens inside the block opened at line \(start + 1)"
                    )
                }
                body.append(lines[index])
                index += 1
            }
            guard index < lines.count else {
                throw UnclosedFence(description: "\(name):\(start + 1): the block is never closed")
            }
            index += 1
            if infos?.contains(info) ?? true {
                let following = index < lines.count ? lines[index] : nil
                blocks.append(Block(info: info, lines: body, line: start + 1, following: following))
            }
        }
        return blocks
    }
}
