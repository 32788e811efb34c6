import LedgerJSON
import Testing

@Suite("JSONDocument: the parser's grammar, read in place")
struct DocumentTests {
    /// The error parsing `text` into a document throws, or nil when it parses.
    private func documentError(_ text: String, limits: JSONParser.Limits = .default) -> JSONError? {
        do {
            _ = try JSONDocument.parsing(utf8(text), limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("each malformed input is refused with the parser's reason and offset", arguments: ErrorTests.cases)
    func refusal(text: String, reason: JSONError.Reason, offset: Int) {
        #expect(documentError(text) == JSONError(reason, at: offset))
    }

    @Test("a repeated key is found in objects of every size, at its second appearance", arguments: [2, 16, 17, 40])
    func duplicateInLargeObject(keys: Int) throws {
        let members = (0..<keys).map { #""k\#($0)":\#($0)"# }
        let unique = "{" + members.joined(separator: ",") + "}"
        #expect(try JSONDocument.parsing(utf8(unique)).root.objectKeys?.count == keys)
        let repeated = "{" + members.joined(separator: ",") + #","k\#(keys - 1)":0,"z":}"#
        #expect(documentError(repeated) == parseError(repeated))
        #expect(documentError(repeated) == JSONError(.duplicateKey("k\(keys - 1)"), at: unique.utf8.count))
    }

    @Test("a key repeated after keys in byte order (as canonical JSON writes them) is still found")
    func duplicateAfterSortedKeys() {
        let sorted = (0..<40).map { #""k\#($0 < 10 ? "0" : "")\#($0)":\#($0)"# }
        for repeated in [#""k05":0"#, #""k39":0"#, #""K":0,"k05":0"#, #""k40":0,"k00":0"#] {
            let text = "{" + (sorted + [repeated]).joined(separator: ",") + "}"
            #expect(documentError(text) == parseError(text), "\(repeated)")
            #expect(documentError(text) != nil)
        }
        #expect(documentError("{" + (sorted + [#""a":0"#, #""k40":0"#]).joined(separator: ",") + "}") == nil)
    }

    @Test("keys that are equal strings are duplicates, however they are written")
    func equivalentKeys() {
        // U+212A KELVIN SIGN is canonically equivalent to K; U+00E9 to e followed by U+0301.
        for text in [#"{"K":1,"\u212a":2}"#, "{\"\u{E9}\":1,\"e\u{301}\":2}", #"{"a":1,"\u0061":2}"#] {
            #expect(documentError(text) == parseError(text))
            #expect(documentError(text) != nil)
        }
        #expect(documentError(#"{"a":1,"b":2}"#) == nil)
    }

    @Test("a key repeated out of byte order is found, whether or not other keys share its length and end bytes")
    func unorderedDuplicates() {
        let texts = [
            #"{"b":1,"a":2,"b":3}"#, #"{"stream":1,"id":2,"type":3,"meta":4,"type":5}"#, #"{"ab":1,"aab":2,"ab":3}"#,
            #"{"z":1,"axb":2,"ayb":3,"axb":4}"#, #"{"z":1,"\u212a":2,"K":3}"#, #"{"z":1,"é":2,"a":3,"z":4}"#,
        ]
        for text in texts {
            #expect(documentError(text) == parseError(text), "\(text)")
            guard case .duplicateKey = documentError(text)?.reason else {
                Issue.record("\(text) was not refused for a duplicate key")
                continue
            }
        }
        #expect(documentError(#"{"z":1,"axb":2,"ayb":3,"a":4,"":5}"#) == nil)
    }

    @Test("limits apply as in the parser")
    func limits() {
        let limits = JSONParser.Limits(maxDepth: 2, maxNumberLength: 3, maxStringBytes: 3)
        for text in [#""abcd""#, #"[1, "abcd"]"#, "[[[1]]]", "1234", #"{"abcd":1}"#, #""a\u0062cd""#] {
            #expect(documentError(text, limits: limits) == parseError(text, limits: limits), "\(text)")
        }
    }

    @Test("500 random values, canonical and written with noise, read back as the parser's tree")
    func randomized() throws {
        var random = RandomJSON(seed: 0xD0C)
        for _ in 0..<500 {
            let value = random.value()
            #expect(try JSONDocument.parsing(value.canonicalBytes).root.value == value)
            let noisy = random.noisyText(value)
            #expect(try JSONDocument.parsing(utf8(noisy)).root.value == value, "\(noisy)")
        }
    }

    @Test("500 random values written with noise give the tree's canonical bytes, read in place")
    func randomizedCanonical() throws {
        var random = RandomJSON(seed: 0xCA0)
        for _ in 0..<500 {
            let value = random.value()
            #expect(try JSONDocument.parsing(value.canonicalBytes).root.canonicalBytes == value.canonicalBytes)
            let noisy = random.noisyText(value)
            #expect(try JSONDocument.parsing(utf8(noisy)).root.canonicalBytes == value.canonicalBytes, "\(noisy)")
        }
    }

    @Test("canonical bytes sort members by key bytes, however the keys are written, and keep only needed escapes")
    func canonicalOrder() throws {
        let cases: [(String, String)] = [
            (#"{"b":1,"a":[true,false,null]}"#, #"{"a":[true,false,null],"b":1}"#),
            (#"{ "a" : { "z" : "\/\u0041" , "y" : 1.50e3 } }"#, #"{"a":{"y":1.50e3,"z":"/A"}}"#),
            (#"{"\u0062":"\n\u001f\"","a":"é","\u00e9":2,"ab":3}"#, #"{"a":"é","ab":3,"b":"\n\u001f\"","é":2}"#),
            (#"{"é":1,"z":2,"\u212a":3}"#, #"{"z":2,"é":1,"K":3}"#),
            (#"[{},[],"",-0]"#, #"[{},[],"",-0]"#),
        ]
        for (text, canonical) in cases {
            let root = try JSONDocument.parsing(utf8(text)).root
            #expect(String(decoding: root.canonicalBytes, as: UTF8.self) == canonical, "\(text)")
            #expect(root.canonicalBytes == (try JSONParser.parse(text)).canonicalBytes, "\(text)")
            #expect(root["a"]?.canonicalBytes == (try JSONParser.parse(text))["a"]?.canonicalBytes, "\(text)")
        }
    }

    @Test("nodes read members, elements and scalars in place")
    func reading() throws {
        let text =
            #"{"s":"plain","u":"caf\u00e9 ☕","n":-12.5e3,"i":42,"t":true,"f":false,"z":null,"a":[1,{"k":[]},"x"],"o":{"deep":{"er":"y"}}}"#
        let root = try JSONDocument.parsing(utf8(text)).root
        #expect(root.isObject)
        #expect(root["s"]?.stringValue == "plain")
        #expect(root["u"]?.stringValue == "café ☕")
        #expect(root["n"]?.numberValue == JSONNumber(literal: "-12.5e3"))
        #expect(root["n"]?.int64Value == nil)
        #expect(root["i"]?.int64Value == 42)
        #expect(root["t"]?.boolValue == true)
        #expect(root["f"]?.boolValue == false)
        #expect(root["z"]?.isNull == true)
        #expect(root["s"]?.isNull == false)
        #expect(root["missing"] == nil)
        #expect(root["s"]?["s"] == nil)
        let elements = try #require(root["a"]?.arrayValue)
        #expect(elements.count == 3)
        #expect(elements[0].int64Value == 1)
        #expect(elements[1]["k"]?.arrayValue?.isEmpty == true)
        #expect(elements[2].stringValue == "x")
        #expect(root["o"]?["deep"]?["er"]?.stringValue == "y")
        #expect(root["o"]?.objectKeys == ["deep"])
        #expect(root.isObject(withKeysIn: ["s", "u", "n", "i", "t", "f", "z", "a", "o", "extra"]))
        #expect(!root.isObject(withKeysIn: ["s", "u", "n", "i", "t", "f", "z", "a"]))
        #expect(root["a"]?.isObject(withKeysIn: []) == false)
        #expect(root.value == (try JSONParser.parse(text)))
    }

    @Test("a key written with escapes or in another normalization is found by its text")
    func lookupByText() throws {
        let root = try JSONDocument.parsing(utf8(#"{"\u0061b":1,"\u212a":2,"caf\u00e9":3}"#)).root
        #expect(root["ab"]?.int64Value == 1)
        #expect(root["K"]?.int64Value == 2)
        #expect(root["cafe\u{301}"]?.int64Value == 3)
        #expect(root.isObject(withKeysIn: ["ab", "K", "café"]))
    }

    @Test("an integer is read from its bytes as from its literal, to the limits of Int64")
    func integersInPlace() throws {
        let literals = [
            "0", "-0", "7", "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "99999999999999999999", "1.0", "1e2", "-3E-1", "0.5",
        ]
        let root = try JSONDocument.parsing(utf8("[" + literals.joined(separator: ",") + "]")).root
        let elements = try #require(root.arrayValue)
        for (literal, node) in zip(literals, elements) {
            #expect(node.int64Value == JSONNumber(literal: literal)?.int64, "\(literal)")
        }
        #expect(elements[4].int64Value == .max)
        #expect(elements[6].int64Value == .min)
        #expect(elements[5].int64Value == nil)
    }

    @Test("known keys are matched by their text, ASCII keys byte for byte")
    func knownKeys() throws {
        let root = try JSONDocument.parsing(utf8(#"{"K":1,"end":2}"#)).root
        #expect(root.isObject(withKeysIn: ["end", "\u{212A}"]))
        #expect(!root.isObject(withKeysIn: ["end", "k"]))
        #expect(!root.isObject(withKeysIn: ["en", "K"]))
        #expect(!root.isObject(withKeysIn: ["ends", "K"]))
        let value = try JSONParser.parse(#"{"K":1,"end":2}"#)
        #expect(value.isObject(withKeysIn: ["end", "\u{212A}"]))
    }

    @Test("one reader parses document after document as fresh parses do, also after a refusal")
    func readerReuse() throws {
        var reader = JSONDocumentReader()
        let texts = [
            #"{"a":[1,2,{"b":"c"}],"d":"e\u00e9"}"#, "[]", #"{"a":"#, #""x""#, #"{"k":{"l":[true,null]}}"#, "[1,]", "0",
        ]
        for text in texts {
            let bytes = utf8(text)
            let read: Result<JSONValue, JSONError> = bytes.withUnsafeBytes { raw in
                Result { () throws(JSONError) in try reader.parse(raw).root.value }
            }
            #expect(read == Result { () throws(JSONError) in try JSONParser.parse(bytes) }, "\(text)")
        }
    }

    @Test("members are picked out by their names' places in one scan; missing ones and non-objects give nil")
    func members() throws {
        let root = try JSONDocument.parsing(utf8(#"{"z":0,"\u0061b":1,"c":[2],"\u212a":3}"#)).root
        let picked = root.members(["c", "ab", "missing", "z", "K"])
        #expect(picked[0]?.value == [2])
        #expect(picked[1]?.int64Value == 1)
        #expect(picked[2] == nil)
        #expect(picked[3]?.int64Value == 0)
        #expect(picked[4]?.int64Value == 3)
        let byText = root.members(["caf\u{E9}", "z", "\u{212A}"])
        #expect(byText[0] == nil && byText[1]?.int64Value == 0 && byText[2]?.int64Value == 3)
        #expect(root["c"]?.members(["c"])[0] == nil)
    }

    @Test("a string's place among names is found by its text, ASCII byte for byte; other values have none")
    func indexAmongNames() throws {
        let root = try JSONDocument.parsing(utf8(#"["beta","\u0061lpha","\u212a","gamma",1,null]"#)).root
        let elements = try #require(root.arrayValue)
        let names: JSONKeys = ["alpha", "beta", "K"]
        #expect(elements.map { $0.index(in: names) } == [1, 0, 2, nil, nil, nil])
        #expect(elements[2].index(in: ["caf\u{E9}", "\u{212A}"]) == 1)
        #expect(elements[0].index(in: []) == nil)
    }

    @Test("a name too long to be compared by its bytes (over 255) is still found, by its text")
    func longNames() throws {
        let long = String(repeating: "k", count: 300)
        let root = try JSONDocument.parsing(utf8(#"{"\#(long)":1,"a":2}"#)).root
        #expect(root.isObject(withKeysIn: [long, "a"]))
        #expect(!root.isObject(withKeysIn: [long + "k", "a"]))
        let picked = root.members(["a", long])
        #expect(picked[0]?.int64Value == 2 && picked[1]?.int64Value == 1)
    }
}
