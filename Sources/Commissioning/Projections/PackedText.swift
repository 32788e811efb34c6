import LedgerJSON

/// Text of a fixed shape, such as an event id, a recorded time or a leaf hash, kept inline as the 4-bit values of its
/// digits instead of as a heap string (a million facts keep three such texts each). A shape is a template in which
/// `#` stands for a lowercase hex digit (which includes the decimal ones) and any other character for itself; text
/// of another shape is kept as it is. Either way `text` gives back exactly the text stored.
enum PackedText<Words: NibbleWords>: Sendable, Hashable {
    case packed(Words)
    case text(String)

    /// Packs `text` when it has `shape` (at most `Words.capacity` digits), else keeps it.
    init(_ text: String, shape: StaticString) {
        var copy = text
        self = copy.withUTF8 { Self(utf8: $0, shape: shape) } ?? .text(text)
    }

    /// Packs the text `node` holds when it has `shape`, else keeps it (a non-string as empty text).
    init(_ node: JSONNode, shape: StaticString) {
        let packed = node.withUnescapedUTF8 { Self(utf8: $0, shape: shape) } ?? nil
        self = packed ?? .text(node.stringValue ?? "")
    }

    /// Packs the UTF-8 text `bytes`; nil unless it has `shape` (at most `Words.capacity` digits).
    private init?(utf8 bytes: UnsafeBufferPointer<UInt8>, shape: StaticString) {
        guard bytes.count == shape.utf8CodeUnitCount else { return nil }
        let template = UnsafeBufferPointer(start: shape.utf8Start, count: bytes.count)
        var words = Words()
        // Digits gather in `word`, the first in its top bits, which is stored once it holds 16.
        var word: UInt64 = 0
        var digits = 0
        for offset in 0..<bytes.count {
            let byte = bytes[offset]
            guard template[offset] == UInt8(ascii: "#") else {
                if byte != template[offset] { return nil }
                continue
            }
            guard let value = Self.nibble(byte), digits < Words.capacity else { return nil }
            word = word << 4 | UInt64(value)
            digits += 1
            if digits % 16 == 0 {
                words[digits / 16 - 1] = word
                word = 0
            }
        }
        if digits % 16 != 0 { words[digits / 16] = word << (4 * (16 - digits % 16)) }
        self = .packed(words)
    }

    /// The text stored; `shape` must be the one it was packed with.
    func text(shape: StaticString) -> String {
        switch self {
        case .text(let text): return text
        case .packed(let words):
            let template = UnsafeBufferPointer(start: shape.utf8Start, count: shape.utf8CodeUnitCount)
            return String(unsafeUninitializedCapacity: template.count) { buffer in
                var digit = 0
                for (offset, character) in template.enumerated() {
                    guard character == UInt8(ascii: "#") else {
                        buffer[offset] = character
                        continue
                    }
                    let value = words.digit(digit)
                    buffer[offset] = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
                    digit += 1
                }
                return template.count
            }
        }
    }

    /// The decimal number the packed digits at `digits` (counted among the shape's `#` places) spell; nil for text
    /// kept as it is or a hex digit above 9.
    func decimal(digits: Range<Int>) -> Int? {
        guard case .packed(let words) = self else { return nil }
        var result = 0
        for digit in digits {
            let value = words.digit(digit)
            guard value < 10 else { return nil }
            result = result * 10 + Int(value)
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// The shapes of the texts a `Stamp` packs.
enum TextShape {
    /// An event id: a UUID in lowercase.
    static let uuid: StaticString = "########-####-####-####-############"
    /// A recorded time: RFC 3339 UTC with microseconds.
    static let timestamp: StaticString = "####-##-##T##:##:##.######Z"
    /// A leaf hash: 64 lowercase hex digits.
    static let sha256: StaticString = "################################################################"
}

/// Inline storage for `PackedText`: 16 digits per 64-bit word, the first in the top bits.
protocol NibbleWords: Sendable, Hashable {
    init()
    /// How many digits fit.
    static var capacity: Int { get }
    subscript(word: Int) -> UInt64 { get set }
}

extension NibbleWords {
    /// The value (0...15) of digit `index`.
    func digit(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: self[index / 16] >> (60 - 4 * (index % 16))) & 0x0F
    }

    /// Sets digit `index`, which must still be 0, to `value` (0...15).
    mutating func set(_ index: Int, _ value: UInt8) {
        self[index / 16] |= UInt64(value) << (60 - 4 * (index % 16))
    }
}

/// 32 digits: an event id or a recorded time.
struct TwoWords: NibbleWords {
    private var first: UInt64 = 0
    private var second: UInt64 = 0

    static var capacity: Int { 32 }

    subscript(word: Int) -> UInt64 {
        get { word == 0 ? first : second }
        set { if word == 0 { first = newValue } else { second = newValue } }
    }
}

extension PackedText<FourWords> {
    /// A SHA-256 hash from its 32 bytes, as `TextShape.sha256` text packs it.
    init(sha256 bytes: SIMD32<UInt8>) {
        var words = FourWords()
        withUnsafeBytes(of: bytes) { raw in
            for word in 0..<4 {
                words[word] = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))
            }
        }
        self = .packed(words)
    }
}

/// 64 digits: a SHA-256 hash.
struct FourWords: NibbleWords {
    private var first = TwoWords()
    private var second = TwoWords()

    static var capacity: Int { 64 }

    subscript(word: Int) -> UInt64 {
        get { word < 2 ? first[word] : second[word - 2] }
        set { if word < 2 { first[word] = newValue } else { second[word - 2] = newValue } }
    }
}
