import Foundation
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import LedgerWire
import Testing

@Suite("Request parser")
struct RequestParserTests {
    func parse(_ text: String) throws(ProtocolError) -> Command {
        try RequestParser.parse(Array(text.utf8)[...])
    }

    /// An `APPEND` with its events as a tree, to compare with literals.
    struct Appended: Equatable {
        var stream: String
        var expected: ExpectedVersion
        var events: JSONValue
    }

    func appended(_ text: String) throws -> Appended? {
        guard case .append(let stream, let expected, let events) = try parse(text) else { return nil }
        return Appended(stream: stream, expected: expected, events: events.value)
    }

    func code(_ text: String) -> ErrorCode? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("every verb parses with its arguments; verbs are case-insensitive")
    func verbs() throws {
        #expect(try parse("ping") == .ping)
        #expect(try parse("Quit") == .quit)
        #expect(try parse("HELLO") == .hello)
        #expect(try parse("STATUS") == .status)
        #expect(
            try appended(#"APPEND s-1 none {"id":"x"}"#)
                == Appended(stream: "s-1", expected: .noStream, events: ["id": "x"])
        )
        #expect(
            try appended(#"APPEND s 3 [{"a":1}, {"b":2}]"#)
                == Appended(stream: "s", expected: .exact(3), events: [["a": 1], ["b": 2]])
        )
        #expect(try parse("READ s") == .read(stream: "s", from: 1, limit: nil))
        #expect(try parse("READ s 5 10") == .read(stream: "s", from: 5, limit: 10))
        #expect(try parse("READALL") == .readAll(from: 1, limit: nil))
        #expect(try parse("READALL 7 2") == .readAll(from: 7, limit: 2))
        #expect(try parse("SUBSCRIBE") == .subscribe(from: 1, filter: .all))
        #expect(try parse("SUBSCRIBE 9 a b") == .subscribe(from: 9, filter: EventFilter(types: ["a", "b"])))
        #expect(try parse("SUBSCRIBE a") == .subscribe(from: 1, filter: EventFilter(types: ["a"])))
        #expect(
            try parse("SUBSCRIBE 4 x-a stream=case- stream=contract-")
                == .subscribe(from: 4, filter: EventFilter(types: ["x-a"], streamPrefixes: ["case-", "contract-"]))
        )
        #expect(try parse("UNSUBSCRIBE") == .unsubscribe)
        #expect(try parse("CONSUME billing") == .consume(name: "billing", filter: .all))
        #expect(
            try parse("consume billing payment-made stream=contract-")
                == .consume(
                    name: "billing",
                    filter: EventFilter(types: ["payment-made"], streamPrefixes: ["contract-"])
                )
        )
        #expect(try parse("ACK 12") == .ack(position: 12))
        for bad in ["SUBSCRIBE 1 stream=", "SUBSCRIBE 1 stream=-x", "CONSUME", "ACK", "ACK -1", "ACK 1 2"] {
            #expect(throws: ProtocolError.self, "\(bad)") { try parse(bad) }
        }
        let prefixes = (0...EventFilter.maxStreamPrefixes).map { "stream=s\($0)" }.joined(separator: " ")
        #expect(throws: ProtocolError.self) { try parse("SUBSCRIBE 1 \(prefixes)") }
        #expect(try parse("backup nightly-1") == .backup(name: "nightly-1"))
        #expect(try parse("METRICS") == .metrics)
        #expect(try parse("VERIFY") == .verify(from: nil, to: nil))
        #expect(try parse("VERIFY 2 9") == .verify(from: 2, to: 9))
    }

    @Test("malformed requests get the right stable code")
    func errors() {
        #expect(code("") == .badRequest)
        #expect(code("PING extra") == .badRequest)
        #expect(code("PING  ") == .badRequest)
        #expect(code("READ s ") == .badRequest)
        #expect(code("READ  s") == .badRequest)
        #expect(code("READ s x") == .badRequest)
        #expect(code("READ s 1 0") == .badRequest)
        #expect(code("READALL -1") == .badRequest)
        #expect(code("READALL 99999999999999999999") == .badRequest)
        #expect(code("APPEND s any") == .badRequest)
        #expect(code("APPEND s") == .badRequest)
        #expect(code(#"PING {"a":1}"#) == .badRequest)
        #expect(code(#"APPEND s any {"a":1} trailing"#) == .badJSON)
        #expect(code(#"APPEND s any {"a":1,"a":2}"#) == .badJSON)
        #expect(code("FROB") == .unknownCommand)
        #expect(code("QUERY") == .badRequest)
        #expect(code("QUERY AFTER") == .badRequest)
        #expect(code("QUERY AFTER x payments") == .badRequest)
        #expect(code("QUERY AFTER 5") == .badRequest)
        #expect(code("REBUILD") == .badRequest)
        #expect(code("REBUILD a b") == .badRequest)
        #expect(code("BACKUP") == .badRequest)
        #expect(code("BACKUP a b") == .badRequest)
        #expect(code("METRICS now") == .badRequest)
        #expect(throws: ProtocolError.self) { try RequestParser.parse([0x50, 0x00][...]) }
        // A NUL byte anywhere, even deep in an otherwise valid line (and in a slice not starting at 0).
        let padded = Array("xxAPPEND s any {\"id\":\"\(String(repeating: "a", count: 300))\u{0}\"}".utf8)
        let nul = #expect(throws: ProtocolError.self) { try RequestParser.parse(padded[2...]) }
        #expect(nul?.message == "the line contains a NUL byte")
        #expect(throws: ProtocolError.self) { try RequestParser.parse([0x52, 0x45, 0x41, 0x44, 0x20, 0xC3][...]) }
    }

    @Test("QUERY takes an optional AFTER clause and passes the rest through; REBUILD one name")
    func queryAndRebuild() throws {
        #expect(
            try RequestParser.parse(Array("query after 12 payments contract K1 2026-10".utf8)[...])
                == .query(arguments: ["payments", "contract", "K1", "2026-10"], after: 12)
        )
        #expect(
            try RequestParser.parse(Array("QUERY audit exceptions".utf8)[...])
                == .query(arguments: ["audit", "exceptions"], after: nil)
        )
        #expect(
            try RequestParser.parse(Array("REBUILD commissioning".utf8)[...]) == .rebuild(projection: "commissioning")
        )
    }

    @Test("the verb is found before full parsing, for role checks")
    func verbPeek() {
        #expect(RequestParser.verb(of: Array("append s any {}".utf8)[...]) == .append)
        #expect(RequestParser.verb(of: Array("nope".utf8)[...]) == nil)
    }

    @Test("roles allow exactly the documented commands")
    func roles() {
        #expect(Role.reader.allows(.status) && !Role.reader.allows(.read) && !Role.reader.allows(.append))
        #expect(Role.writer.allows(.append) && Role.writer.allows(.subscribe) && !Role.writer.allows(.verify))
        #expect(Role.auditor.allows(.verify) && Role.auditor.allows(.readAll) && !Role.auditor.allows(.append))
        #expect(Verb.allCases.allSatisfy { Role.ops.allows($0) })
        #expect(Verb.alwaysAllowed == [.ping, .hello, .quit])
    }

    @Test("replies are one line each, errors carry their code and message")
    func replies() {
        var buffer = [UInt8]()
        Reply.pong(to: &buffer)
        Reply.ok(["b": 1, "a": true], to: &buffer)
        Reply.error(ProtocolError(.wrongExpectedVersion, "no", fields: ["actual": 3]), to: &buffer)
        Reply.end(["count": 0, "next": 1], to: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self)
                == "PONG\nOK {\"a\":true,\"b\":1}\nERR WRONG_EXPECTED_VERSION {\"actual\":3,\"message\":\"no\"}\n"
                + "END {\"count\":0,\"next\":1}\n"
        )
    }

    @Test("which errors close the connection: the spec's error table, row by row, and nothing else")
    func closingErrors() throws {
        let text = try SpecDocument("Protocols/line-protocol.md").text
        let table = try #require(text.components(separatedBy: "## Errors").dropFirst().first)
        var closes: [ErrorCode: Bool] = [:]
        for row in table.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let code = try #require(ErrorCode(rawValue: cells[0].trimmingCharacters(in: ["`"])), "\(row)")
            closes[code] = cells.last == "yes"
        }
        #expect(Set(closes.keys) == Set(ErrorCode.allCases), "every code has one row")
        for code in ErrorCode.allCases { #expect(code.closesConnection == closes[code], "\(code)") }
        #expect(ErrorCode.allCases.filter(\.closesConnection) == [.lineTooLong, .overloaded, .shuttingDown])
    }

    @Test("an append's answer is the canonical JSON of its fields, with or without duplicate")
    func appendedReply() {
        for duplicate in [false, true] {
            var direct = [UInt8]()
            Reply.appended(first: 7, last: 9, version: 3, duplicate: duplicate, to: &direct)
            var object: [String: JSONValue] = ["first": 7, "last": 9, "version": 3]
            if duplicate { object["duplicate"] = true }
            var generic = [UInt8]()
            Reply.ok(.object(object), to: &generic)
            #expect(direct == generic)
        }
    }
}
