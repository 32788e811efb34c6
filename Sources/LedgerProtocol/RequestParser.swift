import LedgerJSON

#if canImport(Glibc)
import Glibc
import LedgerWire
#endif

/// Turns one request line (without its LF or CRLF) into a `Command`.
///
/// A request is `VERB [ARG ...] [JSON]`: the verb is case-insensitive, arguments are separated by single spaces, and
/// an optional final JSON object or array (the first argument starting with `{` or `[`) runs to the end of the line.
public enum RequestParser {
    /// The verb of a line, if it has a known one (for role checks before full parsing).
    public static func verb(of line: ArraySlice<UInt8>) -> Verb? {
        let end = line.firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex
        return Verb(rawValue: String(decoding: line[line.startIndex..<end], as: UTF8.self).uppercased())
    }

    /// Parses a line.
    /// - Throws: `ProtocolError` with `badRequest`, `unknownCommand` or `badJSON`.
    public static func parse(
        _ line: ArraySlice<UInt8>,
        limits: JSONParser.Limits = .default
    ) throws(ProtocolError) -> Command {
        guard !line.isEmpty else { throw ProtocolError(.badRequest, "empty line: send a command such as PING") }
        guard !containsNUL(line) else { throw ProtocolError(.badRequest, "the line contains a NUL byte") }
        let (words, json) = try split(line, limits: limits)
        guard let verbText = words.first else { throw ProtocolError(.badRequest, "the line has no verb") }
        guard let verb = Verb(rawValue: verbText.uppercased()) else {
            throw ProtocolError(
                .unknownCommand,
                "unknown command \"\(verbText.prefix(32))\"; see Protocols/line-protocol.md"
            )
        }
        var arguments = Arguments(verb: verb, words: Array(words.dropFirst()))
        let command: Command
        switch verb {
        case .ping: command = .ping
        case .quit: command = .quit
        case .hello: command = .hello
        case .status: command = .status
        case .unsubscribe: command = .unsubscribe
        case .append:
            let stream = try arguments.required("stream")
            let word = try arguments.required("expected version")
            guard let expected = ExpectedVersion(word) else {
                guard DecimalArgument.isDigits(word) else {
                    throw ProtocolError(
                        .badRequest,
                        "expected version must be any, none, exists or a version number, got \"\(word.prefix(32))\""
                    )
                }
                throw DecimalArgument.refusal(verb, "expected version", got: word)
            }
            guard let json else {
                throw ProtocolError(.badRequest, "APPEND needs an event object or array after the expected version")
            }
            command = .append(stream: stream, expected: expected, events: json)
        case .read:
            let stream = try arguments.required("stream")
            command = .read(
                stream: stream,
                from: try arguments.number("from-version") ?? 1,
                limit: try arguments.limit()
            )
        case .readBack:
            let stream = try arguments.required("stream")
            command = .readBack(
                stream: stream,
                from: try arguments.number("from-version") ?? 0,
                limit: try arguments.limit()
            )
        case .stream:
            command = .stream(name: try arguments.required("stream"))
        case .readAll:
            command = .readAll(from: try arguments.number("from-position") ?? 1, limit: try arguments.limit())
        case .subscribe:
            let from = try arguments.leadingNumber("from-position") ?? 1
            command = .subscribe(from: from, filter: try EventFilter(words: arguments.rest(), verb: verb))
        case .consume:
            let name = try arguments.required("consumer name")
            command = .consume(name: name, filter: try EventFilter(words: arguments.rest(), verb: verb))
        case .ack:
            guard let position = try arguments.number("position") else {
                throw ProtocolError(.badRequest, "ACK needs the position handled")
            }
            command = .ack(position: position)
        case .verify:
            let from = try arguments.number("from")
            let to = try arguments.number("to")
            try Self.checkRange(verb, first: ("from", from ?? 1), last: to) { "to \($0) is before from \(from ?? 1)" }
            command = .verify(from: from, to: to)
        case .query:
            var after: UInt64?
            if arguments.words.first?.uppercased() == "AFTER" {
                arguments.words.removeFirst()
                guard let position = try arguments.number("AFTER position") else {
                    throw ProtocolError(.badRequest, "QUERY AFTER needs a position")
                }
                after = position
            }
            guard !arguments.words.isEmpty else {
                throw ProtocolError(.badRequest, "QUERY needs what to query: payments, audit, quality or market")
            }
            command = .query(arguments: arguments.rest(), after: after)
        case .rebuild:
            command = .rebuild(projection: try arguments.required("projection name"))
        case .prove:
            let position = try arguments.number("position")
            guard let position else { throw ProtocolError(.badRequest, "PROVE needs a position") }
            let size = try arguments.number("size")
            try Self.checkRange(verb, first: ("position", position), last: size) {
                "position \(position) is not in a tree of size \($0)"
            }
            command = .prove(position: position, size: size)
        case .consistency:
            let oldSize = try arguments.number("old-size")
            guard let oldSize else { throw ProtocolError(.badRequest, "CONSISTENCY needs an old size") }
            let newSize = try arguments.number("new-size")
            if let newSize, oldSize > newSize {
                throw ProtocolError(
                    .badRequest,
                    "CONSISTENCY: the old size \(oldSize) is larger than the new size \(newSize)"
                )
            }
            command = .consistency(oldSize: oldSize, newSize: newSize)
        case .checkpoint:
            command = .checkpoint(size: try arguments.number("size"))
        case .checkpoints:
            command = .checkpoints(from: try arguments.number("from-size") ?? 0, limit: try arguments.limit())
        case .cosign:
            guard let size = try arguments.number("size"), arguments.words.count == 2 else {
                throw ProtocolError(
                    .badRequest,
                    "COSIGN needs the checkpoint's size, the witness's key name and its base64 cosignature"
                )
            }
            let witness = try arguments.required("witness key name")
            command = .cosign(size: size, witness: witness, signature: try arguments.required("cosignature"))
        case .backup:
            command = .backup(name: try arguments.required("backup name"))
        case .metrics: command = .metrics
        case .promote: command = .promote
        case .stored:
            guard let position = try arguments.number("position") else {
                throw ProtocolError(.badRequest, "STORED needs the position stored")
            }
            command = .stored(position: position)
        case .fence:
            guard let epoch = try arguments.number("epoch"), epoch >= 1 else {
                throw ProtocolError(.badRequest, "FENCE needs an epoch of at least 1 and the primary's address")
            }
            command = .fence(epoch: epoch, primary: try arguments.required("primary address"))
        case .replicate:
            guard let from = try arguments.number("from-position"), let stored = try arguments.number("stored-position")
            else { throw ProtocolError(.badRequest, "REPLICATE needs the position to read from and the one stored") }
            command = .replicate(from: from, stored: stored, limit: try arguments.limit())
        }
        if verb != .append, json != nil {
            throw ProtocolError(.badRequest, "\(verb.rawValue) takes no JSON")
        }
        try arguments.finish()
        return command
    }

    /// The rule for every verb that takes a range of positions: positions start at 1 and a range ends no earlier
    /// than it starts (`BAD_REQUEST`); whether its end is past the head is the verb's to check (`NOT_FOUND`).
    private static func checkRange(
        _ verb: Verb,
        first: (name: String, value: UInt64),
        last: UInt64?,
        backwards: (UInt64) -> String
    ) throws(ProtocolError) {
        guard first.value >= 1 else {
            throw ProtocolError(
                .badRequest,
                "\(verb.rawValue): \(first.name) must be at least 1 (positions start at 1)"
            )
        }
        if let last, last < first.value { throw ProtocolError(.badRequest, "\(verb.rawValue): \(backwards(last))") }
    }

    /// Whether `line` holds a 0 byte. memchr scans a word at a time where `contains` compares byte by byte, a cost
    /// that showed on every `APPEND`.
    private static func containsNUL(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBytes { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    }

    /// Splits the line into words and the trailing JSON value (read in place: an append's events are checked and
    /// written from it without building a tree).
    private static func split(
        _ line: ArraySlice<UInt8>,
        limits: JSONParser.Limits
    ) throws(ProtocolError) -> ([String], JSONNode?) {
        var words = [String]()
        words.reserveCapacity(4)
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if !words.isEmpty, byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                var reader = JSONDocumentReader()
                let document = line[index...].withUnsafeBytes { json in
                    Result { () throws(JSONError) in try reader.parse(json, limits: limits) }
                }
                do {
                    return (words, try document.get().root)
                } catch {
                    throw ProtocolError(.badJSON, "invalid JSON: \(error)")
                }
            }
            let end = line[index...].firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex
            guard end > index else {
                throw ProtocolError(.badRequest, "arguments are separated by single spaces")
            }
            guard let word = Self.text(line[index..<end]) else {
                throw ProtocolError(.badRequest, "the line is not valid UTF-8")
            }
            words.append(word)
            index = end
            if index < line.endIndex {
                index += 1
                guard index < line.endIndex else {
                    throw ProtocolError(.badRequest, "the line ends with a space")
                }
            }
        }
        return (words, nil)
    }

    /// The text of `bytes`, nil when they are not UTF-8. An ASCII word (every verb and most arguments) is made
    /// directly: `String(validating:as:)` is generic over the encoding and looks up its metadata on every call.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        bytes.allSatisfy { $0 < 0x80 }
            ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}

/// The words after the verb, consumed in order.
private struct Arguments {
    let verb: Verb
    var words: [String]

    mutating func required(_ name: String) throws(ProtocolError) -> String {
        guard !words.isEmpty else { throw ProtocolError(.badRequest, "\(verb.rawValue) needs a \(name)") }
        return words.removeFirst()
    }

    /// The next word as a number, nil when there are no words left.
    mutating func number(_ name: String) throws(ProtocolError) -> UInt64? {
        guard let word = words.first else { return nil }
        guard let value = DecimalArgument.parse(word) else { throw DecimalArgument.refusal(verb, name, got: word) }
        words.removeFirst()
        return value
    }

    /// The next word as a number when it is made of digits (a number out of range is refused); nil otherwise.
    mutating func leadingNumber(_ name: String) throws(ProtocolError) -> UInt64? {
        guard let word = words.first, DecimalArgument.isDigits(word) else { return nil }
        return try number(name)
    }

    mutating func limit() throws(ProtocolError) -> Int? {
        guard let value = try number("limit") else { return nil }
        guard value > 0 else { throw ProtocolError(.badRequest, "\(verb.rawValue): limit must be at least 1") }
        return Int(clamping: value)
    }

    mutating func rest() -> [String] {
        defer { words.removeAll() }
        return words
    }

    func finish() throws(ProtocolError) {
        guard words.isEmpty else {
            throw ProtocolError(.badRequest, "\(verb.rawValue): unexpected argument \"\(words[0].prefix(32))\"")
        }
    }
}
