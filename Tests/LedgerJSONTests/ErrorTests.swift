import LedgerJSON
import Testing

@Suite("Errors and their offsets")
struct ErrorTests {
    static let cases: [(String, JSONError.Reason, Int)] = [
        ("", .unexpectedEnd, 0),
        (" \t\r\n", .unexpectedEnd, 4),
        ("[1,", .unexpectedEnd, 3),
        ("[1", .unexpectedEnd, 2),
        (#"{"a""#, .unexpectedEnd, 4),
        (#"{"a":"#, .unexpectedEnd, 5),
        (#"{"a":1"#, .unexpectedEnd, 6),
        ("{", .unexpectedEnd, 1),
        (#""abc"#, .unexpectedEnd, 4),
        (#""\"#, .unexpectedEnd, 2),
        (#""\u12"#, .unexpectedEnd, 5),
        (#""\ud83d"#, .unexpectedEnd, 7),
        (#""\ud83d\"#, .unexpectedEnd, 8),
        ("tru", .unexpectedEnd, 3),
        ("[1 2]", .unexpectedByte(UInt8(ascii: "2")), 3),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]")), 3),
        ("[,1]", .unexpectedByte(UInt8(ascii: ",")), 1),
        ("[1}", .unexpectedByte(UInt8(ascii: "}")), 2),
        (#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}")), 7),
        (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1")), 5),
        (#"{"a":1]"#, .unexpectedByte(UInt8(ascii: "]")), 6),
        ("{a:1}", .unexpectedByte(UInt8(ascii: "a")), 1),
        ("{1:2}", .unexpectedByte(UInt8(ascii: "1")), 1),
        ("}", .unexpectedByte(UInt8(ascii: "}")), 0),
        ("trUe", .unexpectedByte(UInt8(ascii: "U")), 2),
        ("nul1", .unexpectedByte(UInt8(ascii: "1")), 3),
        ("True", .unexpectedByte(UInt8(ascii: "T")), 0),
        ("NaN", .unexpectedByte(UInt8(ascii: "N")), 0),
        ("'a'", .unexpectedByte(UInt8(ascii: "'")), 0),
        ("\u{B}1", .unexpectedByte(0x0B), 0),
        ("\u{C}1", .unexpectedByte(0x0C), 0),
        ("\u{A0}1", .unexpectedByte(0xC2), 0),
        ("\u{FEFF}{}", .unexpectedByte(0xEF), 0),
        ("[é]", .unexpectedByte(0xC3), 1),
        ("\"a\u{1}\"", .controlCharacterInString, 2),
        ("\"a\tb\"", .controlCharacterInString, 2),
        ("\"a\nb\"", .controlCharacterInString, 2),
        ("\"\u{0}\"", .controlCharacterInString, 1),
        (#""\x""#, .invalidEscape, 1),
        (#""ab\ ""#, .invalidEscape, 3),
        (#""\'""#, .invalidEscape, 1),
        (#""\U0041""#, .invalidEscape, 1),
        (#""\u12G4""#, .invalidEscape, 1),
        (#""\u12""#, .invalidEscape, 1),
        (#""\ud83d\uZZZZ""#, .invalidEscape, 7),
        (#""\ud800""#, .loneSurrogate, 1),
        (#""\udc00""#, .loneSurrogate, 1),
        (#""\uDFFF\uD800""#, .loneSurrogate, 1),
        (#""x\ud83d\u0041""#, .loneSurrogate, 2),
        (#""\ud83d\ud83d""#, .loneSurrogate, 1),
        (#""\ud83dA""#, .loneSurrogate, 1),
        (#""\ud83d\n""#, .loneSurrogate, 1),
        ("01", .invalidNumber, 0),
        ("-01", .invalidNumber, 0),
        ("1.", .invalidNumber, 0),
        (".5", .invalidNumber, 0),
        ("+1", .invalidNumber, 0),
        ("-", .invalidNumber, 0),
        ("[-]", .invalidNumber, 1),
        ("1e", .invalidNumber, 0),
        ("1e+", .invalidNumber, 0),
        ("1.e3", .invalidNumber, 0),
        ("1.2.3", .invalidNumber, 0),
        ("--1", .invalidNumber, 0),
        ("[1, 2, 3e-]", .invalidNumber, 7),
        (String(repeating: "9", count: 65), .numberTooLong, 0),
        ("[0." + String(repeating: "1", count: 63) + "]", .numberTooLong, 1),
        (#"{"a":1,"a":2}"#, .duplicateKey("a"), 7),
        (#"{"a":1,"\u0061":2}"#, .duplicateKey("a"), 7),
        (#"{"x":{"k":[],"k":[}}"#, .duplicateKey("k"), 13),
        (String(repeating: "[", count: 65), .tooDeep, 64),
        ("[1] x", .trailingData, 4),
        ("1 2", .trailingData, 2),
        ("{}{}", .trailingData, 2),
        ("truex", .trailingData, 4),
        (#""a""b""#, .trailingData, 3),
        ("0x1", .trailingData, 1),
        ("1\u{0}", .trailingData, 1),
    ]

    @Test("each malformed input is refused with its reason at the byte where it was found", arguments: cases)
    func refusal(text: String, reason: JSONError.Reason, offset: Int) {
        #expect(parseError(text) == JSONError(reason, at: offset))
    }

    @Test("a repeated key is found in objects of every size, at its second appearance", arguments: [2, 16, 17, 40])
    func duplicateInLargeObject(keys: Int) throws {
        let members = (0..<keys).map { #""k\#($0)":\#($0)"# }
        let unique = "{" + members.joined(separator: ",") + "}"
        #expect(try JSONParser.parse(unique).objectValue?.count == keys)
        let repeated = "{" + members.joined(separator: ",") + #","k\#(keys - 1)":0,"z":}"#
        #expect(parseError(repeated) == JSONError(.duplicateKey("k\(keys - 1)"), at: unique.utf8.count))
    }

    @Test("tooLarge is reported at the string's opening quote")
    func tooLarge() {
        let limits = JSONParser.Limits(maxStringBytes: 3)
        #expect(parseError(#""abcd""#, limits: limits) == JSONError(.tooLarge, at: 0))
        #expect(parseError(#"[1, "abcd"]"#, limits: limits) == JSONError(.tooLarge, at: 4))
    }

    @Test("errors are thrown as typed JSONError")
    func typedThrow() {
        #expect(throws: JSONError(.trailingData, at: 3)) { try JSONParser.parse("[] []") }
        #expect(throws: JSONError.self) { try JSONParser.parse(utf8("{")) }
    }

    @Test("descriptions name the problem and the byte offset")
    func descriptions() {
        #expect(parseError(#"{"a":1, "b":2,"a":3}"#)?.description == #"duplicate key "a" at byte 14"#)
        #expect(
            JSONError(.unexpectedByte(UInt8(ascii: "x")), at: 3).description == "unexpected character 'x' at byte 3"
        )
        #expect(JSONError(.unexpectedByte(0x0B), at: 0).description == "unexpected byte 0x0B at byte 0")
        #expect(JSONError(.unexpectedByte(0xEF), at: 0).description == "unexpected byte 0xEF at byte 0")
        #expect(JSONError(.duplicateKey("q\"\n"), at: 1).description == #"duplicate key "q\"\n" at byte 1"#)
        let long = String(repeating: "k", count: 100)
        #expect(
            JSONError(.duplicateKey(long), at: 1).description
                == "duplicate key \"\(String(repeating: "k", count: 64))…\" at byte 1"
        )
        let reasons: [JSONError.Reason] = [
            .unexpectedEnd, .invalidUTF8, .controlCharacterInString, .invalidEscape, .loneSurrogate, .invalidNumber,
            .numberTooLong, .tooDeep, .trailingData, .tooLarge,
        ]
        let messages = reasons.map { JSONError($0, at: 7).description }
        #expect(Set(messages).count == reasons.count)
        for message in messages { #expect(message.hasSuffix(" at byte 7")) }
    }
}
