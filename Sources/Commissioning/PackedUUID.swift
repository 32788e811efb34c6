/// A lowercase UUID text (`8-4-4-4-12` hex digits), kept inline as the 128 bits its 32 digits spell.
struct PackedUUID: Sendable, Hashable {
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    /// The nil UUID, all zero.
    init() {}

    /// The bits of the UUID text `bytes`; nil unless it is 36 bytes of lowercase hex digits and dashes in UUID places.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            if Self.isDash(offset) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(value) } else { words.1 = words.1 << 4 | UInt64(value) }
            digits += 1
        }
        (high, low) = words
    }

    /// The UUID text, exactly as it was packed.
    var text: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var digit = 0
            for offset in 0..<36 {
                guard !Self.isDash(offset) else {
                    buffer[offset] = UInt8(ascii: "-")
                    continue
                }
                let word = digit < 16 ? high : low
                let value = UInt8(truncatingIfNeeded: word >> (60 - 4 * UInt64(digit % 16))) & 0x0F
                buffer[offset] = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
                digit += 1
            }
            return 36
        }
    }

    private static func isDash(_ offset: Int) -> Bool {
        offset == 8 || offset == 13 || offset == 18 || offset == 23
    }
}
