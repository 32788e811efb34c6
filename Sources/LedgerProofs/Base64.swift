/// Standard base64 with padding (RFC 4648 section 4). Decoding is strict: only the canonical encoding is accepted.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let pad = UInt8(ascii: "=")
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, digit) in alphabet.enumerated() { table[Int(digit)] = UInt8(value) }
        return table
    }()

    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text = [UInt8]()
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            text.append(alphabet[Int(first >> 2)])
            text.append(alphabet[Int((first & 0x03) << 4 | (second ?? 0) >> 4)])
            text.append(second.map { alphabet[Int(($0 & 0x0F) << 2 | (third ?? 0) >> 6)] } ?? pad)
            text.append(third.map { alphabet[Int($0 & 0x3F)] } ?? pad)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The decoded bytes, or nil for anything but canonical padded base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 4 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 4 * 3)
        for start in stride(from: 0, to: digits.count, by: 4) {
            var padding = 0
            if start + 4 == digits.count {
                if digits[start + 3] == pad { padding += 1 }
                if padding == 1 && digits[start + 2] == pad { padding += 1 }
            }
            var group: UInt32 = 0
            for offset in 0..<(4 - padding) {
                let value = values[Int(digits[start + offset])]
                guard value != 0xFF else { return nil }
                group = group << 6 | UInt32(value)
            }
            group <<= 6 * UInt32(padding)
            // The bits the padding leaves over must be zero.
            guard group & ((1 << (8 * UInt32(padding))) - 1) == 0 else { return nil }
            for shift in stride(from: 16, through: 8 * padding, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(shift)))
            }
        }
        return bytes
    }
}
