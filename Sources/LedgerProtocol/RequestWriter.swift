import LedgerJSON
import LedgerWire

/// Writes request lines, the inverse of `RequestParser`: the line of a `Command` parses back to that command.
///
/// Arguments are written as given and left for the server to judge (a number out of range is its `BAD_REQUEST`),
/// except those that would change what the line means, which are refused before anything is written.
public enum RequestWriter {
    /// Appends the line of `command`, LF included. A `verify` with only `to` is written with `from` 1, its default.
    /// - Throws: `RequestArgumentError` for an argument that cannot be one word on the line, a `query` starting with
    ///   the word `AFTER` without a position, or `append` events that are not an object or an array.
    public static func write(_ command: Command, to buffer: inout [UInt8]) throws(RequestArgumentError) {
        let verb = command.verb
        switch command {
        case .ping, .quit, .hello, .status, .unsubscribe, .metrics, .promote:
            try line(verb, [], to: &buffer)
        case .append(let stream, let expected, let events):
            let json = events.canonicalBytes
            guard json.first == UInt8(ascii: "{") || json.first == UInt8(ascii: "[") else {
                throw RequestArgumentError(verb, String(decoding: json, as: UTF8.self), .notObjectOrArray)
            }
            try line(verb, [stream, expected.description], json: json, to: &buffer)
        case .read(let stream, let from, let limit):
            try line(verb, [stream, String(from)] + optionalWord(limit), to: &buffer)
        case .readBack(let stream, let from, let limit):
            try line(verb, [stream, String(from)] + optionalWord(limit), to: &buffer)
        case .stream(let name):
            try line(verb, [name], to: &buffer)
        case .readAll(let from, let limit):
            try line(verb, [String(from)] + optionalWord(limit), to: &buffer)
        case .replicate(let from, let stored, let limit):
            try line(verb, [String(from), String(stored)] + optionalWord(limit), to: &buffer)
        case .subscribe(let from, let filter):
            try line(verb, [String(from)] + filter.words, to: &buffer)
        case .consume(let name, let filter):
            try line(verb, [name] + filter.words, to: &buffer)
        case .ack(let position):
            try line(verb, [String(position)], to: &buffer)
        case .verify(let from, let to):
            try line(verb, from == nil && to == nil ? [] : [String(from ?? 1)] + optionalWord(to), to: &buffer)
        case .query(let arguments, let after):
            if let after {
                try line(verb, ["AFTER", String(after)] + arguments, to: &buffer)
            } else if let first = arguments.first, first.uppercased() == "AFTER" {
                throw RequestArgumentError(verb, first, .readsAsAfterClause)
            } else {
                try line(verb, arguments, to: &buffer)
            }
        case .rebuild(let projection):
            try line(verb, [projection], to: &buffer)
        case .prove(let position, let size):
            try line(verb, [String(position)] + optionalWord(size), to: &buffer)
        case .consistency(let oldSize, let newSize):
            try line(verb, [String(oldSize)] + optionalWord(newSize), to: &buffer)
        case .checkpoint(let size):
            try line(verb, optionalWord(size), to: &buffer)
        case .checkpoints(let from, let limit):
            try line(verb, from == 0 && limit == nil ? [] : [String(from)] + optionalWord(limit), to: &buffer)
        case .cosign(let size, let witness, let signature):
            try line(verb, [String(size), witness, signature], to: &buffer)
        case .backup(let name):
            try line(verb, [name], to: &buffer)
        case .stored(let position):
            try line(verb, [String(position)], to: &buffer)
        case .fence(let epoch, let primary):
            try line(verb, [String(epoch), primary], to: &buffer)
        }
    }

    /// Appends the line `APPEND <stream> <expected> [<event>,...]`, LF included: an append of event values, written
    /// without making a `JSONNode` of them.
    /// - Throws: `RequestArgumentError` for a stream that cannot be one word on the line.
    public static func append(
        stream: String,
        expected: ExpectedVersion,
        events: [JSONValue],
        to buffer: inout [UInt8]
    ) throws(RequestArgumentError) {
        try line(.append, [stream, expected.description], json: JSONValue.array(events).canonicalBytes, to: &buffer)
    }

    /// Appends `VERB ARG ... [JSON]` and LF once every argument is checked to be one word that does not start JSON.
    private static func line(
        _ verb: Verb,
        _ arguments: [String],
        json: [UInt8]? = nil,
        to buffer: inout [UInt8]
    ) throws(RequestArgumentError) {
        for argument in arguments {
            guard let first = argument.utf8.first, first != UInt8(ascii: "{"), first != UInt8(ascii: "["),
                argument.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F })
            else {
                throw RequestArgumentError(verb, argument, .notAWord)
            }
        }
        buffer.append(contentsOf: verb.rawValue.utf8)
        for argument in arguments {
            buffer.append(UInt8(ascii: " "))
            buffer.append(contentsOf: argument.utf8)
        }
        if let json {
            buffer.append(UInt8(ascii: " "))
            buffer.append(contentsOf: json)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The word of an optional number: none when it is nil.
    private static func optionalWord(_ value: (some BinaryInteger)?) -> [String] {
        value.map { [String($0)] } ?? []
    }
}
