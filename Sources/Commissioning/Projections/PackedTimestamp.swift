/// A recorded time as the log writes it (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), kept inline as its fields' values in one
/// word: from the top, 14 bits of year, 4 of month, 5 of day, 5 of hour, 6 of minute, 6 of second, 20 of microsecond.
struct PackedTimestamp: Sendable, Hashable {
    private var bits: UInt64 = 0

    /// 0000-00-00T00:00:00.000000Z.
    init() {}

    /// Where each field's digits are, how many there are, and how many bits it is packed in, in packing order.
    private static let fields: [(offset: Int, digits: Int, bits: UInt64)] = [
        (0, 4, 14), (5, 2, 4), (8, 2, 5), (11, 2, 5), (14, 2, 6), (17, 2, 6), (20, 6, 20),
    ]
    /// The characters between and after the fields.
    private static let separators: [(offset: Int, byte: UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")),
        (16, UInt8(ascii: ":")), (19, UInt8(ascii: ".")), (26, UInt8(ascii: "Z")),
    ]
    private static let length = 27

    /// The fields of the time text `bytes`; nil unless it has the log's shape and each field fits its bits.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == Self.length, Self.separators.allSatisfy({ bytes[$0.offset] == $0.byte }) else {
            return nil
        }
        var bits: UInt64 = 0
        for field in Self.fields {
            var value: UInt64 = 0
            for offset in field.offset..<field.offset + field.digits {
                let digit = bytes[offset] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + UInt64(digit)
            }
            guard value >> field.bits == 0 else { return nil }
            bits = bits << field.bits | value
        }
        self.bits = bits
    }

    /// The time text, exactly as it was packed.
    var text: String {
        String(unsafeUninitializedCapacity: Self.length) { buffer in
            for separator in Self.separators { buffer[separator.offset] = separator.byte }
            var rest = bits
            for field in Self.fields.reversed() {
                var value = rest & (1 << field.bits - 1)
                rest >>= field.bits
                for offset in (field.offset..<field.offset + field.digits).reversed() {
                    buffer[offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            return Self.length
        }
    }

    /// The year (0...9999).
    var year: Int { Int(bits >> 46) }

    /// The month field (1...12 for a real month).
    var month: Int { Int(bits >> 42 & 0xF) }
}
