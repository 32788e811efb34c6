/// A client-chosen event id: a UUID, kept inline as its 128 bits and written in canonical lowercase text form.
///
/// Any UUID version is accepted; time-ordered version 7 ids are recommended because they keep the id index
/// append-mostly (see `Protocols/line-protocol.md`). Ids order as their 16 big-endian bytes do compared with
/// `memcmp`, which is the order of the log's id index.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first 8 bytes, the most significant first.
    @usableFromInline let high: UInt64
    /// The last 8 bytes, the most significant first.
    @usableFromInline let low: UInt64

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The nil UUID, all bits zero: the least id.
    public static let min = EventID(high: 0, low: 0)

    /// The max UUID, all bits one: the greatest id.
    public static let max = EventID(high: .max, low: .max)

    /// Parses the 36-character `8-4-4-4-12` hexadecimal form (either case); nil for anything else.
    public init?(_ text: some StringProtocol) {
        // A native string's bytes are read in place; only other kinds of text are copied first.
        let words =
            text.utf8.withContiguousStorageIfAvailable { Self.words($0, upperCase: true) }
            ?? Array(text.utf8).withUnsafeBufferPointer { Self.words($0, upperCase: true) }
        guard let words else { return nil }
        (high, low) = words
    }

    /// Parses the canonical text form only: the `8-4-4-4-12` form in lowercase hexadecimal digits, as `description`
    /// writes it, so that an id parsed from `utf8` gives back exactly that text; nil for anything else.
    public init?(canonical utf8: UnsafeBufferPointer<UInt8>) {
        guard let words = Self.words(utf8, upperCase: false) else { return nil }
        (high, low) = words
    }

    /// Wraps 16 raw bytes, the most significant first; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        for (index, byte) in bytes.enumerated() {
            if index < 8 { words.0 = words.0 << 8 | UInt64(byte) } else { words.1 = words.1 << 8 | UInt64(byte) }
        }
        (high, low) = words
    }

    /// The 128 bits of the `8-4-4-4-12` hexadecimal text in `utf8` (uppercase digits too when `upperCase`), or nil.
    private static func words(_ utf8: UnsafeBufferPointer<UInt8>, upperCase: Bool) -> (UInt64, UInt64)? {
        guard utf8.count == 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (offset, byte) in utf8.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F") where upperCase: value = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(value) } else { words.1 = words.1 << 4 | UInt64(value) }
            digits += 1
        }
        return words
    }

    /// A version 7 (time-ordered) UUID for the given Unix time in milliseconds, with random `rand_a` bits.
    public static func v7<Generator: RandomNumberGenerator>(
        milliseconds: UInt64,
        using generator: inout Generator
    ) -> EventID {
        v7(milliseconds: milliseconds, sequence: UInt16(truncatingIfNeeded: generator.next()), using: &generator)
    }

    /// A version 7 UUID for the given Unix time in milliseconds whose 12 `rand_a` bits hold `sequence` (RFC 9562,
    /// section 6.2, method 1): ids of one millisecond made with increasing sequence numbers sort in that order, so
    /// they are appended to the id index instead of inserted into it.
    public static func v7<Generator: RandomNumberGenerator>(
        milliseconds: UInt64,
        sequence: UInt16,
        using generator: inout Generator
    ) -> EventID {
        // 48 bits of time, the version, 12 bits of sequence; then the variant and 62 random bits.
        let high = milliseconds << 16 | 0x7000 | UInt64(sequence & 0x0FFF)
        return EventID(high: high, low: variant(generator.next().byteSwapped))
    }

    /// A version 4 (random) UUID.
    public static func v4<Generator: RandomNumberGenerator>(using generator: inout Generator) -> EventID {
        let high = generator.next().byteSwapped & ~0xF000 | 0x4000
        return EventID(high: high, low: variant(generator.next().byteSwapped))
    }

    /// `low` with the RFC 9562 variant in its top two bits.
    private static func variant(_ low: UInt64) -> UInt64 {
        low & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
    }

    /// The canonical lowercase text form.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var count = 0
            forEachTextByte { byte in
                buffer[count] = byte
                count += 1
            }
            return count
        }
    }

    /// Appends the canonical lowercase text form to `buffer`.
    public func appendText(to buffer: inout [UInt8]) {
        forEachTextByte { buffer.append($0) }
    }

    /// Calls `body` with each of the 36 bytes of the canonical text form in turn.
    private func forEachTextByte(_ body: (UInt8) -> Void) {
        for digit in 0..<32 {
            if digit == 8 || digit == 12 || digit == 16 || digit == 20 { body(UInt8(ascii: "-")) }
            let word = digit < 16 ? high : low
            let value = UInt8(truncatingIfNeeded: word >> (60 - 4 * UInt64(digit % 16))) & 0x0F
            body(value < 10 ? UInt8(ascii: "0") &+ value : UInt8(ascii: "a") &+ value &- 10)
        }
    }

    /// Calls `body` with the 16 bytes, the most significant first (the id index's key), without allocating.
    @inlinable
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try Swift.withUnsafeBytes(of: (high.bigEndian, low.bigEndian), body)
    }

    /// The 16 bytes, the most significant first, in a new array (`withUnsafeBytes` reads them without one).
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Whether `lhs` sorts before `rhs`: the order of their bytes.
    @inlinable
    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
