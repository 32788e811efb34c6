import Foundation
import Synchronization

/// A client-chosen event id: a UUID in canonical lowercase text form.
///
/// Any UUID version is accepted; time-ordered version 7 ids are recommended because they keep the id index
/// append-mostly (see `Protocols/line-protocol.md`).
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 16 bytes of the UUID, big-endian as written.
    public let bytes: [UInt8]

    /// Parses the 36-character `8-4-4-4-12` hexadecimal form (either case); nil for anything else.
    public init?(_ text: some StringProtocol) {
        // A native string's bytes are read in place; only other kinds of text are copied first.
        let parsed =
            text.utf8.withContiguousStorageIfAvailable(Self.parse)
            ?? Array(text.utf8).withUnsafeBufferPointer(Self.parse)
        guard let bytes = parsed else { return nil }
        self.bytes = bytes
    }

    /// The 16 bytes of the `8-4-4-4-12` form in `utf8`; nil for anything else.
    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
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
        return result
    }

    /// Wraps 16 raw bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
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
        var raw = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index)))
        }
        raw[6] = 0x70 | UInt8(truncatingIfNeeded: sequence >> 8) & 0x0F
        raw[7] = UInt8(truncatingIfNeeded: sequence)
        let random = generator.next()
        for index in 8..<16 {
            raw[index] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(index - 8)))
        }
        raw[8] = 0x80 | (raw[8] & 0x3F)
        return EventID(unchecked: raw)
    }

    /// A version 7 UUID for the current time, from the system's random generator. Successive ids from one process
    /// increase strictly: within a millisecond a sequence number counts up (from a random start below 2048), and
    /// when it runs out the id borrows the next millisecond.
    public static func v7() -> EventID {
        var generator = SystemRandomNumberGenerator()
        let (milliseconds, sequence) = latestV7.withLock { latest in
            let now = RecordedTime.now().microseconds / 1000
            if now > latest.milliseconds {
                latest = (now, UInt16.random(in: 0..<2048, using: &generator))
            } else if latest.sequence < 4095 {
                latest.sequence += 1
            } else {
                latest = (latest.milliseconds + 1, 0)
            }
            return latest
        }
        return v7(milliseconds: milliseconds, sequence: sequence, using: &generator)
    }

    /// The millisecond and sequence number of the last id `v7()` made.
    private static let latestV7 = Mutex<(milliseconds: UInt64, sequence: UInt16)>((0, 0))

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
        precedes(lhs.bytes, rhs.bytes)
    }

    /// Whether id index key `lhs` sorts before `rhs` in the index (LMDB's byte order; an empty key first), compared
    /// with `memcmp` rather than byte by byte: the writer asks twice for every event.
    static func precedes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        let order = lhs.withUnsafeBytes { lhs in
            rhs.withUnsafeBytes { rhs in
                guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return Int32(0) }
                return memcmp(left, right, min(lhs.count, rhs.count))
            }
        }
        return order != 0 ? order < 0 : lhs.count < rhs.count
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
