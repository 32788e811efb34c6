import LedgerJSON
import LedgerProtocol
import Testing

@Suite("Reply line decoding")
struct ReplyLineTests {
    /// The lines `write` appends, each without its LF.
    func lines(_ write: (inout [UInt8]) -> Void) -> [ArraySlice<UInt8>] {
        var buffer = [UInt8]()
        write(&buffer)
        #expect(buffer.last == UInt8(ascii: "\n"))
        return buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
    }

    /// The one line `write` appends, read back.
    func decoded(_ write: (inout [UInt8]) -> Void) throws -> ReplyLine {
        let written = lines(write)
        #expect(written.count == 1)
        return try ReplyLine(try #require(written.first))
    }

    func decodingError(_ text: String) -> ReplyDecodingError? {
        #expect(throws: ReplyDecodingError.self) { try ReplyLine(Array(text.utf8)) }
    }

    @Test("every reply Reply writes reads back as what was written")
    func roundTrip() throws {
        let value: JSONValue = ["count": 2, "next": 9, "text": "a b\nc", "list": [1, "é", nil, true, -7]]
        let envelope = Array(#"{"position":1,"stream":"s","data":{"a":"b c"}}"#.utf8)
        #expect(try decoded { Reply.pong(to: &$0) } == .pong)
        #expect(try decoded { Reply.ok(value, to: &$0) } == .ok(value))
        #expect(try decoded { Reply.ok([:], to: &$0) } == .ok([:]))
        #expect(try decoded { Reply.event(envelope, to: &$0) } == .event(envelope))
        #expect(try decoded { Reply.row(value, to: &$0) } == .row(value))
        #expect(try decoded { Reply.end(value, to: &$0) } == .end(value))
        #expect(try decoded { Reply.live(["position": 3], to: &$0) } == .live(["position": 3]))
        #expect(try decoded { Reply.standby(["consumer": "c"], to: &$0) } == .standby(["consumer": "c"]))
        #expect(try decoded { Reply.acked(["position": 4], to: &$0) } == .acked(["position": 4]))
        for duplicate in [false, true] {
            var object: JSONValue = ["first": 7, "last": 9, "version": 3]
            if duplicate { object = ["duplicate": true, "first": 7, "last": 9, "version": 3] }
            let line = try decoded { Reply.appended(first: 7, last: 9, version: 3, duplicate: duplicate, to: &$0) }
            #expect(line == .ok(object))
        }
        for code in ErrorCode.allCases {
            let error = ProtocolError(code, "refused: \(code)", fields: ["actual": 3, "stream": "s"])
            let line = try decoded { Reply.error(error, to: &$0) }
            #expect(line == .error(code: code, message: error.message, details: error.json))
        }
    }

    @Test("each kind of line has its keyword")
    func keywords() throws {
        let replies: [ReplyLine] = [
            .pong, .ok([:]), .event([]), .row([:]), .end([:]), .live([:]), .standby([:]), .acked([:]),
            .error(code: .badRequest, message: "", details: [:]),
        ]
        #expect(replies.map(\.keyword) == ReplyKeyword.allCases)
        for reply in replies where reply != .pong {
            let text = "\(reply.keyword.rawValue)\(reply.keyword == .error ? " BAD_REQUEST" : "") {}"
            #expect(try ReplyLine(Array(text.utf8)).keyword == reply.keyword)
        }
    }

    @Test("any collection of bytes is read, from where it starts")
    func collections() throws {
        #expect(try ReplyLine("OK {\"a\":1}".utf8) == .ok(["a": 1]))
        let padded = Array("xxEVENT {}".utf8)
        #expect(try ReplyLine(padded[2...]) == .event(Array("{}".utf8)))
        let error = Array("..ERR FORBIDDEN {\"message\":\"no\"}".utf8)
        #expect(try ReplyLine(error[2...]) == .error(code: .forbidden, message: "no", details: ["message": "no"]))
    }

    @Test("an unknown error code arrives as INTERNAL with the code in the message; details are kept as sent")
    func unknownCode() throws {
        #expect(
            try ReplyLine(Array(#"ERR NEW_CODE {"message":"m","x":1}"#.utf8))
                == .error(code: .internal, message: "NEW_CODE: m", details: ["message": "m", "x": 1])
        )
        #expect(try ReplyLine(Array("ERR NOT_FOUND {}".utf8)) == .error(code: .notFound, message: "", details: [:]))
        #expect(try ReplyLine(Array("ERR TIMEOUT 5".utf8)) == .error(code: .timeout, message: "", details: 5))
    }

    @Test("lines protocol v1 does not send are refused, saying why")
    func malformed() throws {
        for text in ["", "HELLO {}", "ok {}", "OK", "PONG ", "PONG x", "pong", "ERR", "EVENT", " OK {}"] {
            #expect(decodingError(text)?.reason == .unknownForm, "\(text)")
        }
        for text in ["ERR BAD_REQUEST", "ERR ", "ERR {\"message\":\"m\"}"] {
            #expect(decodingError(text)?.reason == .errorWithoutDetails, "\(text)")
        }
        let invalid = ["OK ", "OK {", "ROW [1,]", #"END {"a":1,"a":2}"#, "LIVE x", "ERR BAD_REQUEST {", "OK {} {}"]
        for text in invalid {
            guard case .invalidJSON = decodingError(text)?.reason else {
                Issue.record("\(text) was not refused as invalid JSON")
                continue
            }
        }
        #expect(decodingError("HELLO {}")?.description == #"unexpected reply "HELLO {}""#)
        #expect(decodingError("ERR BAD_REQUEST")?.description == #"ERR line without details: "ERR BAD_REQUEST""#)
        let jsonError = try #require(#expect(throws: JSONError.self) { try JSONParser.parse("{") })
        #expect(decodingError("OK {")?.description == #"invalid JSON in reply "OK {": "# + "\(jsonError)")
        let long = "ROW " + String(repeating: "x", count: 200)
        #expect(decodingError(long)?.excerpt == String(long.prefix(80)))
    }
}
