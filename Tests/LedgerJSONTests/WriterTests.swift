import LedgerJSON
import Testing

@Suite("Canonical writer")
struct WriterTests {
    @Test("object keys are sorted by their UTF-8 bytes, not by Swift String order or locale")
    func keyOrder() throws {
        let keys = ["b", "a", "B", "A", "aa", "", "a\u{0}", "_", "é", "z", "😀", "\u{FFFF}", "e\u{301}x", "10", "9"]
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        let sorted = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(sorted.first == "")
        #expect(sorted.last == "😀")
        var expected = [UInt8]()
        expected.append(UInt8(ascii: "{"))
        for (position, key) in sorted.enumerated() {
            if position > 0 { expected.append(UInt8(ascii: ",")) }
            JSONValue.writeString(key, to: &expected)
            expected.append(contentsOf: utf8(":null"))
        }
        expected.append(UInt8(ascii: "}"))
        #expect(value.canonicalBytes == expected)
        #expect(try JSONParser.parse(value.canonicalBytes) == value)
    }

    @Test("non-ASCII keys order by bytes: U+00E9 (C3 A9) before U+20AC (E2 82 AC) before U+1F600 (F0 ...)")
    func nonASCIIKeys() {
        let value: JSONValue = ["😀": 3, "€": 2, "é": 1, "z": 0]
        #expect(value.canonicalString == #"{"z":0,"é":1,"€":2,"😀":3}"#)
    }

    @Test("arrays keep their order")
    func arrayOrder() {
        let value: JSONValue = [3, 1, 2, "b", "a"]
        #expect(value.canonicalString == #"[3,1,2,"b","a"]"#)
    }

    @Test(
        "each byte that must be escaped is written with its shortest escape",
        arguments: [
            ("\"", #"\""#), ("\\", #"\\"#), ("\u{8}", #"\b"#), ("\u{C}", #"\f"#), ("\n", #"\n"#), ("\r", #"\r"#),
            ("\t", #"\t"#), ("\u{0}", #"\u0000"#), ("\u{1}", #"\u0001"#), ("\u{B}", #"\u000b"#),
            ("\u{1F}", #"\u001f"#), ("\u{1A}", #"\u001a"#),
        ]
    )
    func escapes(raw: String, escaped: String) throws {
        var buffer = [UInt8]()
        JSONValue.writeString("<" + raw + ">", to: &buffer)
        #expect(buffer == utf8("\"<" + escaped + ">\""))
        #expect(try JSONParser.parse(buffer) == .string("<" + raw + ">"))
    }

    @Test("every control byte is escaped, everything else is written raw")
    func allScalarsBelow0x80() throws {
        for byte in UInt8(0)..<0x80 {
            let text = String(UnicodeScalar(byte))
            let written = JSONValue.string(text).canonicalBytes
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                #expect(written.count > 3 && written[1] == UInt8(ascii: "\\"), "byte \(byte)")
            } else {
                #expect(written == [UInt8(ascii: "\""), byte, UInt8(ascii: "\"")], "byte \(byte)")
            }
            #expect(try JSONParser.parse(written) == .string(text))
        }
    }

    @Test("slash, DEL and non-ASCII are written raw; the original normalization form is kept")
    func rawBytes() {
        #expect(JSONValue.string("a/b\u{7F}").canonicalBytes == [0x22, 0x61, 0x2F, 0x62, 0x7F, 0x22])
        #expect(JSONValue.string("😀").canonicalBytes == [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22])
        #expect(JSONValue.string("\u{E9}").canonicalBytes == [0x22, 0xC3, 0xA9, 0x22])
        #expect(JSONValue.string("e\u{301}").canonicalBytes == [0x22, 0x65, 0xCC, 0x81, 0x22])
    }

    @Test("long strings with escapes scattered through them are written exactly")
    func longStrings() throws {
        let text = String(repeating: "abcdefg\"hij\\klmnop\u{1}é😀/", count: 500)
        let written = JSONValue.string(text).canonicalString
        #expect(written == "\"" + String(repeating: #"abcdefg\"hij\\klmnop\u0001é😀/"#, count: 500) + "\"")
        #expect(try JSONParser.parse(written) == .string(text))
    }

    @Test("numbers are written as their literal, unchanged")
    func numbers() {
        for literal in ["0", "-0", "1.50", "1E+2", "-12.50e3", "123456789012345678901234567890"] {
            #expect(JSONValue.number(JSONNumber(literal: literal)!).canonicalString == literal)
        }
    }
}
