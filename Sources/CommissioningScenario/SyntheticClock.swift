/// A clock that advances a few hundred milliseconds per event, and makes UUIDv7 ids from it.
struct SyntheticClock {
    /// 2026-01-05T00:00:00Z.
    private(set) var milliseconds: UInt64 = 1_767_571_200_000

    /// Advances the clock and returns a UUIDv7 text: 48-bit timestamp, version 7, variant 10, 74 random bits.
    mutating func nextID(_ random: inout ScenarioRandom) -> String {
        milliseconds += UInt64(random.int(1...700))
        let high = random.next()
        let low = random.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        for index in 6..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(index))) }
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(index - 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
