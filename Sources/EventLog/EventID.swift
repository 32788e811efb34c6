/// A client-chosen event id: a UUID in canonical lowercase text form.
///
/// Any UUID version is accepted; time-ordered version 7 ids are recommended because they keep the id index
/// append-mostly (see `Protocols/line-protocol.md`).
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 16 bytes of the UUID, big-endian as written.
    public let bytes: [UInt8]

    /// Parses the 36-character `8-4-4-4-12` hexadecimal form (either case); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(16)
        var index = 0
        while index < 36 {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard utf8[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                continue
            }
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        bytes = result
    }

    /// Wraps 16 raw bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// A version 7 (time-ordered) UUID for the given Unix time in milliseconds.
    public static func v7<Generator: RandomNumberGenerator>(
        milliseconds: UInt64,
        using generator: inout Generator
    ) -> EventID {
        var raw = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index)))
        }
        let random = generator.next()
        let random2 = generator.next()
        for index in 6..<16 {
            let source = index < 14 ? random : random2
            raw[index] = UInt8(truncatingIfNeeded: source >> (8 * UInt64(index % 8)))
        }
        raw[6] = 0x70 | (raw[6] & 0x0F)
        raw[8] = 0x80 | (raw[8] & 0x3F)
        return EventID(unchecked: raw)
    }

    /// A version 7 UUID for the current time, from the system's random generator.
    public static func v7() -> EventID {
        var generator = SystemRandomNumberGenerator()
        return v7(milliseconds: RecordedTime.now().microseconds / 1000, using: &generator)
    }

    /// A version 4 (random) UUID.
    public static func v4<Generator: RandomNumberGenerator>(using generator: inout Generator) -> EventID {
        var raw = [UInt8](repeating: 0, count: 16)
        let first = generator.next()
        let second = generator.next()
        for index in 0..<16 {
            raw[index] = UInt8(truncatingIfNeeded: (index < 8 ? first : second) >> (8 * UInt64(index % 8)))
        }
        raw[6] = 0x40 | (raw[6] & 0x0F)
        raw[8] = 0x80 | (raw[8] & 0x3F)
        return EventID(unchecked: raw)
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The canonical lowercase text form.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(36)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the canonical text form to `buffer`.
    func appendText(to buffer: inout [UInt8]) {
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                buffer.append(UInt8(ascii: "-"))
            }
            buffer.append(Self.hexDigit(byte >> 4))
            buffer.append(Self.hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
