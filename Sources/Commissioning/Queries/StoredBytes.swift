/// A little-endian writer and reader for the fixed-width records a read model stores.
enum StoredBytes {
    struct Writer {
        var bytes: [UInt8] = []

        mutating func int(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        /// A text of at most 65,535 bytes (identifiers are far shorter), after its length.
        mutating func text(_ value: String) {
            let utf8 = Array(value.utf8)
            precondition(utf8.count <= Int(UInt16.max), "a stored text longer than 65,535 bytes")
            withUnsafeBytes(of: UInt16(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
    }

    /// Reads what `Writer` wrote; every read is nil past the end.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        var remaining: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offset...]) }

        mutating func int() -> Int64? {
            guard bytes.count - offset >= 8 else { return nil }
            var value: Int64 = 0
            withUnsafeMutableBytes(of: &value) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8]))
            }
            offset += 8
            return Int64(littleEndian: value)
        }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func text() -> String? {
            guard bytes.count - offset >= 2 else { return nil }
            let count = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            guard bytes.count - offset - 2 >= count else { return nil }
            defer { offset += 2 + count }
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[(offset + 2)..<(offset + 2 + count)]),
                as: UTF8.self
            )
        }

        /// An offset into something of `count` bytes, or nil when it does not fit.
        /// A day written as its ordinal, or `.min` for none: `.some(nil)` for none, nil when the bytes are not one.
        mutating func day() -> Day?? {
            guard let ordinal = int() else { return nil }
            guard ordinal != .min else { return .some(nil) }
            guard let days = Int(exactly: ordinal), abs(days) < 10_000_000 else { return nil }
            return .some(Day(ordinal: days))
        }

        mutating func offset(within count: Int) -> Int? {
            guard let value = int(), value >= 0, value <= count else { return nil }
            return Int(value)
        }
    }
}
