import LedgerJSON
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("values round trip through the canonical writer with keys sorted and no whitespace")
    func canonicalForm() throws {
        let value = try JSONParser.parse(
            #" { "b" : [1, 2.50, -0, 1e3], "a" : {"z": null, "é": true, "y": "x\"\\\n\u0001/"} } "#
        )
        #expect(value.canonicalString == #"{"a":{"y":"x\"\\\n\u0001/","z":null,"é":true},"b":[1,2.50,-0,1e3]}"#)
        #expect(try JSONParser.parse(value.canonicalBytes) == value)
    }

    @Test("surrogate pairs decode and are written as raw UTF-8")
    func surrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
        #expect(JSONValue.string("😀").canonicalString == "\"😀\"")
    }

    @Test(
        "invalid input is refused with its reason",
        arguments: [
            (#"{"a":1,"a":2}"#, JSONError.Reason.duplicateKey("a")),
            ("[1,]", .unexpectedByte(UInt8(ascii: "]"))),
            ("01", .invalidNumber),
            ("1.", .invalidNumber),
            ("-", .invalidNumber),
            ("+1", .unexpectedByte(UInt8(ascii: "+"))),
            (#""\ud800""#, .loneSurrogate),
            (#""\x""#, .invalidEscape),
            ("\"a\u{1}\"", .controlCharacterInString),
            ("[1] x", .trailingData),
            ("[", .unexpectedEnd),
            ("tru", .unexpectedEnd),
            (String(repeating: "9", count: 65), .numberTooLong),
        ]
    )
    func refusals(text: String, reason: JSONError.Reason) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONError)?.reason == reason
        }
    }

    @Test("ill-formed UTF-8 is refused")
    func invalidUTF8() {
        for bytes: [UInt8] in [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82],
        ] {
            #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
        }
    }

    @Test("nesting 100,000 and 1,000,000 levels deep is refused quickly, without recursion")
    func deepNesting() {
        for depth in [100_000, 1_000_000] {
            #expect {
                try JSONParser.parse(String(repeating: "[", count: depth))
            } throws: { error in
                (error as? JSONError)?.reason == .tooDeep
            }
        }
        #expect(throws: Never.self) {
            try JSONParser.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
        }
    }

    @Test("integers are exact only when they fit Int64 and have no fraction or exponent")
    func integers() throws {
        #expect(try JSONParser.parse("9223372036854775807").int64Value == Int64.max)
        #expect(try JSONParser.parse("9223372036854775808").int64Value == nil)
        #expect(try JSONParser.parse("1.0").int64Value == nil)
        #expect(try JSONParser.parse("-0").int64Value == 0)
        #expect(JSONNumber(literal: "1e5")?.double == 100_000)
        #expect(JSONNumber(literal: "1e") == nil)
    }
}
