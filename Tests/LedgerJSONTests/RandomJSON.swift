import LedgerJSON
import LedgerTestSupport
import SeededRandom

/// Generates random JSON values, and writes them in random non-canonical (but valid) forms.
struct RandomJSON {
    var generator: SplitMix64

    /// Scalars chosen to hit escapes, control bytes, every UTF-8 length and its boundaries.
    private static let alphabet: [Unicode.Scalar] = [
        "a", "b", "z", "A", "Z", "0", "9", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}",
        "\u{C}", "\u{D}", "\u{1F}", "\u{7F}", "\u{80}", "\u{E9}", "\u{301}", "\u{7FF}", "\u{800}", "\u{20AC}",
        "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{1F600}", "\u{10FFFF}",
    ]

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(generator.next() % UInt64(bound))
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        switch below(depth >= 4 ? 4 : 6) {
        case 0: return below(5) == 0 ? .null : .bool(below(2) == 0)
        case 1: return .number(number())
        case 2, 3: return .string(string())
        case 4: return .array((0..<below(6)).map { _ in value(depth: depth + 1) })
        default:
            var members = [String: JSONValue]()
            for _ in 0..<below(6) { members[string()] = value(depth: depth + 1) }
            return .object(members)
        }
    }

    mutating func string() -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<below(12) {
            text.append(Self.alphabet[below(Self.alphabet.count)])
        }
        if below(8) == 0 {
            text.append(contentsOf: String(repeating: "long ascii run ", count: below(10)).unicodeScalars)
        }
        return String(text)
    }

    mutating func number() -> JSONNumber {
        switch below(8) {
        case 0: return JSONNumber(Int64.max)
        case 1: return JSONNumber(Int64.min)
        case 2: return JSONNumber(Int64(bitPattern: generator.next()))
        default: break
        }
        var literal = below(2) == 0 ? "-" : ""
        literal += below(4) == 0 ? "0" : String(1 + below(9)) + digits(below(6))
        if below(2) == 0 { literal += "." + digits(1 + below(5)) }
        if below(3) == 0 {
            literal += ["e", "E"][below(2)] + ["", "+", "-"][below(3)] + digits(1 + below(3))
        }
        guard let number = JSONNumber(literal: literal) else {
            preconditionFailure("generated an invalid literal \(literal)")
        }
        return number
    }

    private mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }

    /// A valid but non-canonical encoding of `value`: random whitespace, shuffled keys, optional escapes.
    mutating func noisyText(_ value: JSONValue) -> String {
        var out = ""
        writeNoisy(value, to: &out)
        return whitespace() + out + whitespace()
    }

    private mutating func writeNoisy(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null, .bool, .number: out += value.canonicalString
        case .string(let text): writeNoisyString(text, to: &out)
        case .array(let elements):
            out += "[" + whitespace()
            for (position, element) in elements.enumerated() {
                if position > 0 { out += whitespace() + "," + whitespace() }
                writeNoisy(element, to: &out)
            }
            out += whitespace() + "]"
        case .object(let members):
            out += "{" + whitespace()
            for (position, member) in members.shuffled(using: &generator).enumerated() {
                if position > 0 { out += whitespace() + "," + whitespace() }
                writeNoisyString(member.key, to: &out)
                out += whitespace() + ":" + whitespace()
                writeNoisy(member.value, to: &out)
            }
            out += whitespace() + "}"
        }
    }

    private mutating func writeNoisyString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += below(2) == 0 ? "/" : "\\/"
            case "\u{0}"..."\u{1F}": out += hexEscape(UInt16(scalar.value))
            default:
                guard below(4) == 0 else {
                    out.unicodeScalars.append(scalar)
                    continue
                }
                for unit in String(scalar).utf16 { out += hexEscape(unit) }
            }
        }
        out += "\""
    }

    private mutating func hexEscape(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: below(2) == 0)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    private mutating func whitespace() -> String {
        String((0..<below(3)).map { _ in [" ", "\t", "\n", "\r"][below(4)] })
    }
}
