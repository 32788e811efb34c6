import LedgerJSON
import Testing

@Suite("String parsing")
struct StringParsingTests {
    @Test(
        "every escape decodes",
        arguments: [
            (#"\""#, "\""), (#"\\"#, "\\"), (#"\/"#, "/"), (#"\b"#, "\u{8}"), (#"\f"#, "\u{C}"), (#"\n"#, "\n"),
            (#"\r"#, "\r"), (#"\t"#, "\t"), (#"\u0000"#, "\u{0}"), (#"\u0041"#, "A"), (#"\u00e9"#, "é"),
            (#"\u00E9"#, "é"), (#"\u20aC"#, "€"), (#"\uFFFF"#, "\u{FFFF}"), (#"\ud83d\ude00"#, "😀"),
            (#"\uD83D\uDE00"#, "😀"), (#"\ud800\udc00"#, "\u{10000}"), (#"\udbff\udfff"#, "\u{10FFFF}"),
        ]
    )
    func escape(escaped: String, decoded: String) throws {
        #expect(try JSONParser.parse("\"" + escaped + "\"") == .string(decoded))
        #expect(try JSONParser.parse("\"<" + escaped + ">\"") == .string("<" + decoded + ">"))
        #expect(try JSONParser.parse("[\"" + escaped + escaped + "\"]") == [.string(decoded + decoded)])
    }

    @Test("a surrogate pair becomes one scalar, written back as raw 4-byte UTF-8")
    func surrogatePair() throws {
        let value = try JSONParser.parse(#""\ud83d\ude00""#)
        #expect(value == "😀")
        #expect(value.stringValue?.unicodeScalars.map(\.value) == [0x1F600])
        #expect(value.canonicalBytes == [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    @Test("escaped and raw forms of the same text are the same value")
    func escapedEqualsRaw() throws {
        let escaped = try JSONParser.parse(#"{"\u006b\u0065y": "\u00e9\u20ac\ud83d\ude00"}"#)
        let raw = try JSONParser.parse(#"{"key": "é€😀"}"#)
        #expect(escaped == raw)
        #expect(escaped.canonicalBytes == raw.canonicalBytes)
    }

    @Test("DEL and raw multi-byte UTF-8 at every length boundary are accepted as is")
    func rawUTF8() throws {
        let scalars: [UInt32] = [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF]
        for value in scalars {
            let scalar = try #require(Unicode.Scalar(value))
            let text = String(scalar)
            #expect(try JSONParser.parse(utf8("\"" + text + "\"")) == .string(text), "U+\(value)")
        }
    }

    @Test("a special byte is found at every position of a long string (word-at-a-time scanning)")
    func everyPosition() throws {
        for position in 0..<40 {
            let prefix = String(repeating: "x", count: position)
            let suffix = String(repeating: "y", count: 40 - position)
            for (inner, decoded) in [(#"\""#, "\""), (#"\\"#, "\\"), ("é", "é"), ("😀", "😀"), (#"\n"#, "\n")] {
                let text = "\"" + prefix + inner + suffix + "\""
                #expect(try JSONParser.parse(text) == .string(prefix + decoded + suffix))
            }
            #expect(
                parseError("\"" + prefix + "\u{1}" + suffix + "\"")
                    == JSONError(.controlCharacterInString, at: 1 + position)
            )
            #expect(
                parseError("\"" + prefix + "\u{1F}" + suffix + "\"")
                    == JSONError(.controlCharacterInString, at: 1 + position)
            )
            var bytes = utf8("\"" + prefix + "-" + suffix + "\"")
            bytes[1 + position] = 0xFF
            #expect(parseError(bytes) == JSONError(.invalidUTF8, at: 1 + position))
            #expect(parseError("\"" + prefix) == JSONError(.unexpectedEnd, at: 1 + position))
        }
    }

    @Test("bytes just above and below the special ones pass through the fast scan")
    func nearMisses() throws {
        let text = String(repeating: " !#[]^_`~\u{7F}", count: 20)
        #expect(try JSONParser.parse("\"" + text + "\"") == .string(text))
    }

    @Test("NUL, escaped as \\u0000, is allowed and survives a round trip")
    func nul() throws {
        let value = try JSONParser.parse(#""a\u0000b""#)
        #expect(value == .string("a\u{0}b"))
        #expect(value.canonicalString == #""a\u0000b""#)
    }
}
