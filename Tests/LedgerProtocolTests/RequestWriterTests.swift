import Foundation
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import LedgerWire
import Testing

@Suite("Request writer")
struct RequestWriterTests {
    /// The line `RequestWriter` writes for `command`, LF included.
    func line(_ command: Command) throws(RequestArgumentError) -> [UInt8] {
        var buffer = [UInt8]()
        try RequestWriter.write(command, to: &buffer)
        return buffer
    }

    /// What `RequestParser` reads from `line` without its LF; nil when it does not end in exactly one LF.
    func parsed(_ line: [UInt8]) throws -> Command? {
        guard line.last == UInt8(ascii: "\n"), line.filter({ $0 == UInt8(ascii: "\n") }).count == 1 else { return nil }
        return try RequestParser.parse(line.dropLast())
    }

    func node(_ json: String) throws -> JSONNode {
        try JSONDocument.parsing(Array(json.utf8)).root
    }

    /// Commands of every verb, with optional arguments absent and present and every expected-version form.
    func commands() throws -> [Command] {
        let event = try node(#"{"data":{"note":"a b\nc"},"id":"0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e01","type":"x-note"}"#)
        let events = try node(#"[{"type":"x-a","data":{}},{"type":"x-b","data":{"é":[1,2.5,null,true]}}]"#)
        let largest = UInt64(Int64.max)
        return [
            .ping, .quit, .hello, .status, .unsubscribe, .metrics,
            .append(stream: "notes-42", expected: .any, events: event),
            .append(stream: "notes-42", expected: .noStream, events: events),
            .append(stream: "case:7@home", expected: .streamExists, events: event),
            .append(stream: "s", expected: .exact(0), events: try node("[]")),
            .append(stream: "s", expected: .exact(largest), events: try node("{}")),
            .read(stream: "notes-42", from: 1, limit: nil),
            .read(stream: "7", from: 0, limit: nil),
            .read(stream: "notes-42", from: 5, limit: 10),
            .readAll(from: 1, limit: nil),
            .readAll(from: largest, limit: Int.max),
            .replicate(from: 1, stored: 0, limit: nil),
            .replicate(from: largest, stored: largest, limit: 4096),
            .promote,
            .readBack(stream: "notes-42", from: 0, limit: nil),
            .readBack(stream: "notes-42", from: 7, limit: 1),
            .stream(name: "notes-42"),
            .stored(position: 42),
            .fence(epoch: 2, primary: "/run/ledgerd/ledgerd.sock"),
            .subscribe(from: 1, filter: .all),
            .subscribe(from: 9, filter: EventFilter(types: ["x-call-logged", "payment-approved"])),
            .subscribe(from: 1, filter: EventFilter(types: ["123"])),
            .subscribe(from: 5, filter: EventFilter(types: ["x-a"], streamPrefixes: ["case-", "c"])),
            .consume(name: "billing", filter: .all),
            .consume(name: "audit:1", filter: EventFilter(streamPrefixes: ["contract-"])),
            .ack(position: 42),
            .verify(from: nil, to: nil),
            .verify(from: 2, to: nil),
            .verify(from: 2, to: 9),
            .query(arguments: ["payments", "contract", "K1", "2026-10"], after: nil),
            .query(arguments: ["quality", "provider", "P1"], after: 12),
            .query(arguments: ["after", "AFTER"], after: 0),
            .rebuild(projection: "commissioning"),
            .prove(position: 6, size: nil),
            .prove(position: 6, size: 8),
            .consistency(oldSize: 6, newSize: nil),
            .consistency(oldSize: 0, newSize: 8),
            .checkpoint(size: nil),
            .checkpoint(size: 8),
            .cosign(size: 8, witness: "audit.example.org/w1", signature: "S0nQGgAAAABrFmKz"),
            .checkpoints(from: 0, limit: nil),
            .checkpoints(from: 12, limit: 5),
            .backup(name: "nightly-1"),
        ]
    }

    @Test("every command of every verb is written as one line that parses back to it")
    func roundTrip() throws {
        let commands = try commands()
        #expect(Set(commands.map(\.verb)) == Set(Verb.allCases))
        for command in commands {
            #expect(try parsed(line(command)) == command, "\(command)")
        }
    }

    @Test("every fuzz seed line that parses is written back as a line that parses to the same command, or refused")
    func seeds() throws {
        var commands = 0
        for folder in ["Tests/Fuzz/corpus", "Tests/Fuzz/server-corpus"] {
            let directory = URL(fileURLWithPath: SpecDocument.repository).appending(path: folder)
            for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) {
                for seed in try Data(contentsOf: file).split(separator: UInt8(ascii: "\n")) {
                    guard let command = try? RequestParser.parse(Array(seed)[...]) else { continue }
                    let written: [UInt8]
                    do {
                        written = try line(command)
                    } catch {
                        // The parser takes words with control characters, which the server then refuses.
                        #expect(error.reason == .notAWord, "\(file.lastPathComponent)")
                        continue
                    }
                    #expect(try parsed(written) == command, "\(file.lastPathComponent)")
                    commands += 1
                }
            }
        }
        #expect(commands >= 100)
    }

    @Test("lines are the verb in capitals and single spaces; VERIFY with only an end starts at 1")
    func exactLines() throws {
        let cases: [(Command, String)] = [
            (.ping, "PING"),
            (.read(stream: "s", from: 5, limit: 10), "READ s 5 10"),
            (.readAll(from: 1, limit: nil), "READALL 1"),
            (.replicate(from: 8, stored: 7, limit: 4096), "REPLICATE 8 7 4096"),
            (.subscribe(from: 3, filter: EventFilter(types: ["x-a", "x-b"])), "SUBSCRIBE 3 x-a x-b"),
            (
                .consume(name: "c", filter: EventFilter(types: ["x-a"], streamPrefixes: ["k-"])),
                "CONSUME c x-a stream=k-"
            ),
            (.ack(position: 9), "ACK 9"),
            (.query(arguments: ["audit", "exceptions"], after: 4), "QUERY AFTER 4 audit exceptions"),
            (
                .append(stream: "s", expected: .noStream, events: try node(#"{ "b": 1, "a": "x" }"#)),
                #"APPEND s none {"a":"x","b":1}"#
            ),
            (.verify(from: nil, to: 5), "VERIFY 1 5"),
        ]
        for (command, text) in cases {
            #expect(try line(command) == Array((text + "\n").utf8))
        }
        #expect(try parsed(line(.verify(from: nil, to: 5))) == .verify(from: 1, to: 5))
    }

    @Test("an append of event values is the line of the same events as a document")
    func appendValues() throws {
        let events: [JSONValue] = [["id": "1", "type": "x-a", "data": ["n": 1]], ["type": "x-b", "data": [:]]]
        for expected in [ExpectedVersion.any, .noStream, .streamExists, .exact(3)] {
            var buffer = [UInt8]()
            try RequestWriter.append(stream: "notes-42", expected: expected, events: events, to: &buffer)
            let node = try JSONDocument.parsing(JSONValue.array(events).canonicalBytes).root
            #expect(try parsed(buffer) == .append(stream: "notes-42", expected: expected, events: node))
            #expect(try buffer == line(.append(stream: "notes-42", expected: expected, events: node)))
        }
    }

    @Test("arguments that would change the line's meaning are refused and nothing is written")
    func refusals() throws {
        let event = try node(#"{"type":"x-a","data":{}}"#)
        for word in ["", "a b", "a\nQUIT", "tab\there", "del\u{7F}", "nul\u{0}", "{x", "[x", " "] {
            let commands: [Command] = [
                .append(stream: word, expected: .any, events: event),
                .read(stream: word, from: 1, limit: nil),
                .subscribe(from: 1, filter: EventFilter(types: ["x-a", word])),
                .query(arguments: ["payments", word], after: nil),
                .query(arguments: [word], after: 5),
                .rebuild(projection: word),
                .backup(name: word),
            ]
            for command in commands {
                expectRefusal(command, RequestArgumentError(command.verb, word, .notAWord))
            }
            refused(word) { (buffer) throws(RequestArgumentError) in
                try RequestWriter.append(stream: word, expected: .any, events: [], to: &buffer)
            }
        }
        for first in ["AFTER", "after", "After"] {
            let command = Command.query(arguments: [first, "5", "payments"], after: nil)
            expectRefusal(command, RequestArgumentError(.query, first, .readsAsAfterClause))
        }
        for scalar in [#""x y""#, "5", "null", "true"] {
            let command = Command.append(stream: "s", expected: .any, events: try node(scalar))
            expectRefusal(command, RequestArgumentError(.append, scalar, .notObjectOrArray))
        }
    }

    @Test("a refusal says what the client's invalidArgument error says")
    func messages() {
        #expect(
            RequestArgumentError(.read, "a\nQUIT", .notAWord).description
                == "READ argument \"a\nQUIT\" is empty, starts like JSON or has a space or control character"
        )
        #expect(
            RequestArgumentError(.backup, String(repeating: "b", count: 100), .notAWord).description
                == "BACKUP argument \"\(String(repeating: "b", count: 64))\" is empty, starts like JSON or has a space "
                + "or control character"
        )
        #expect(
            RequestArgumentError(.query, "after", .readsAsAfterClause).description
                == "QUERY argument \"after\" cannot come first: it would be read as the AFTER clause"
        )
    }

    func expectRefusal(_ command: Command, _ error: RequestArgumentError) {
        let refusal = refused(error.argument) { (buffer) throws(RequestArgumentError) in
            try RequestWriter.write(command, to: &buffer)
        }
        #expect(refusal == error, "\(command)")
    }

    /// Runs `write` on a buffer holding a line already and expects it to throw and leave the buffer as it was.
    @discardableResult
    func refused(
        _ argument: String,
        _ write: (inout [UInt8]) throws(RequestArgumentError) -> Void
    ) -> RequestArgumentError? {
        let before = Array("PING\n".utf8)
        var buffer = before
        do {
            try write(&buffer)
            Issue.record("\(argument.debugDescription) was written")
            return nil
        } catch {
            #expect(buffer == before)
            return error
        }
    }
}
