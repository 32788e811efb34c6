import LedgerJSON
import Testing

@Suite("Round trips")
struct RoundTripTests {
    static let samples: [(JSONValue, String)] = [
        (.null, "null"),
        (true, "true"),
        (false, "false"),
        (0, "0"),
        (-42, "-42"),
        (.number(JSONNumber(literal: "-12.50e3")!), "-12.50e3"),
        (.number(JSONNumber(literal: "1E+400")!), "1E+400"),
        ("", #""""#),
        ("plain", #""plain""#),
        ("tab\tquote\"slash/", #""tab\tquote\"slash/""#),
        ("😀 é €", "\"😀 é €\""),
        ([], "[]"),
        ([1, "two", nil, [false]], #"[1,"two",null,[false]]"#),
        ([:], "{}"),
        (["b": 1, "a": ["c": [], "b": [:]]], #"{"a":{"b":{},"c":[]},"b":1}"#),
    ]

    @Test("every kind of value writes its exact canonical form and parses back equal", arguments: samples)
    func canonicalRoundTrip(value: JSONValue, canonical: String) throws {
        #expect(value.canonicalString == canonical)
        #expect(value.canonicalBytes == utf8(canonical))
        let parsed = try JSONParser.parse(value.canonicalBytes)
        #expect(parsed == value)
        #expect(parsed.canonicalBytes == value.canonicalBytes)
    }

    @Test("a non-canonical document is rewritten compactly with sorted keys and minimal escapes")
    func normalizes() throws {
        let text = #" { "b" : [1, 2.50, -0, 1e3] ,"a":{"z":null,"é":true,"y":"x\"\\\n\u0001\/\u00e9"}} "#
        let value = try JSONParser.parse(text)
        #expect(value.canonicalString == #"{"a":{"y":"x\"\\\n\u0001/é","z":null,"é":true},"b":[1,2.50,-0,1e3]}"#)
        #expect(try JSONParser.parse(value.canonicalBytes) == value)
    }

    @Test("500 random values survive write then parse, byte for byte")
    func randomized() throws {
        var random = RandomJSON(seed: 0x5EED_1234)
        for _ in 0..<500 {
            let value = random.value()
            let bytes = value.canonicalBytes
            let parsed = try JSONParser.parse(bytes)
            #expect(parsed == value)
            #expect(parsed.canonicalBytes == bytes)
        }
    }

    @Test("500 random values written with noise (whitespace, shuffled keys, escapes) parse to the same value")
    func randomizedNoisy() throws {
        var random = RandomJSON(seed: 42)
        for _ in 0..<500 {
            let value = random.value()
            let noisy = random.noisyText(value)
            let parsed = try JSONParser.parse(noisy)
            #expect(parsed == value, "\(noisy)")
            #expect(parsed.canonicalBytes == value.canonicalBytes)
        }
    }

    @Test("write(to:) appends to what the buffer already holds")
    func appends() {
        var buffer = utf8("prefix ")
        let value: JSONValue = ["k": [1, 2]]
        value.write(to: &buffer)
        #expect(buffer == utf8(#"prefix {"k":[1,2]}"#))
    }

    @Test("description is the canonical string")
    func description() {
        let value: JSONValue = ["z": "a\nb", "a": [1, nil]]
        #expect(value.description == #"{"a":[1,null],"z":"a\nb"}"#)
        #expect("\(value)" == value.canonicalString)
    }
}
