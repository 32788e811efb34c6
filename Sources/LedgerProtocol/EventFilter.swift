import LedgerJSON
import LedgerWire

/// Which events a subscription or a durable consumer delivers: those whose type is one of `types` (any type when
/// empty) in a stream whose name starts with one of `streamPrefixes` (any stream when empty).
///
/// On a request line a filter is its types, then one `stream=PREFIX` word per prefix (`=` never appears in a type).
public struct EventFilter: Sendable, Hashable {
    /// The wanted types, in the order the client gave them.
    public let types: [String]
    /// The wanted stream-name prefixes, in the order the client gave them.
    public let streamPrefixes: [String]
    private let typeSet: Set<String>

    /// The most stream prefixes one filter may hold: each event is compared with every prefix.
    public static let maxStreamPrefixes = 32
    /// The most types one filter may hold (the catalogue has about 50; the rest are `x-` extension types).
    public static let maxTypes = 256

    /// A filter; the empty one (the default) lets every event through.
    public init(types: [String] = [], streamPrefixes: [String] = []) {
        self.types = types
        self.streamPrefixes = streamPrefixes
        typeSet = Set(types)
    }

    /// Every event.
    public static let all = EventFilter()

    /// Whether the filter lets every event through.
    public var isEmpty: Bool { types.isEmpty && streamPrefixes.isEmpty }

    /// The filter's words on a request line.
    public var words: [String] { types + streamPrefixes.map { Self.streamWord + $0 } }

    /// Whether an event of `type` in `stream` passes.
    public func matches(type: Substring?, stream: Substring?) -> Bool {
        if !typeSet.isEmpty {
            guard let type, typeSet.contains(String(type)) else { return false }
        }
        guard !streamPrefixes.isEmpty else { return true }
        guard let stream else { return false }
        return streamPrefixes.contains { stream.hasPrefix($0) }
    }

    /// The filter the words after a verb's fixed arguments give (`verb` names the request in errors).
    /// - Throws: `ProtocolError` (`badRequest`) for a prefix that no stream name can start with, or too many prefixes.
    init(words: [String], verb: Verb) throws(ProtocolError) {
        var types = [String]()
        var prefixes = [String]()
        for word in words {
            guard word.hasPrefix(Self.streamWord) else {
                types.append(word)
                continue
            }
            let prefix = String(word.dropFirst(Self.streamWord.count))
            guard Naming.isValid(prefix) else {
                throw ProtocolError(
                    .badRequest,
                    "\(verb.rawValue): no stream name can start with \"\(prefix.prefix(64))\": stream names are 1-128 "
                        + "characters A-Z a-z 0-9 . _ : @ -, starting with a letter or digit",
                    fields: ["stream": .string(String(prefix.prefix(64)))]
                )
            }
            prefixes.append(prefix)
        }
        guard types.count <= Self.maxTypes else {
            throw ProtocolError(.badRequest, "\(verb.rawValue): at most \(Self.maxTypes) types, got \(types.count)")
        }
        guard prefixes.count <= Self.maxStreamPrefixes else {
            throw ProtocolError(
                .badRequest,
                "\(verb.rawValue): at most \(Self.maxStreamPrefixes) stream prefixes, got \(prefixes.count)"
            )
        }
        self.init(types: types, streamPrefixes: prefixes)
    }

    private static let streamWord = "stream="
}
