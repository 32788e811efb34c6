import Crypto

/// A SHA-256 value in the RFC 6962 Merkle tree: a leaf hash, an interior node or a root.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes, held inline.
    public let storage: SIMD32<UInt8>

    /// Wraps exactly 32 bytes; nil for any other length.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var value = SIMD32<UInt8>()
        for (index, byte) in bytes.enumerated() { value[index] = byte }
        storage = value
    }

    /// Parses 64 hexadecimal digits (either case); nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var value = SIMD32<UInt8>()
        for index in 0..<32 {
            guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else {
                return nil
            }
            value[index] = high << 4 | low
        }
        storage = value
    }

    /// The 32 bytes at `offset` in `buffer`, which must hold them.
    package init(loading buffer: UnsafeRawBufferPointer, fromByteOffset offset: Int) {
        precondition(offset >= 0 && offset + 32 <= buffer.count, "a hash needs 32 bytes")
        storage = buffer.loadUnaligned(fromByteOffset: offset, as: SIMD32<UInt8>.self)
    }

    package init(digest: SHA256.Digest) {
        storage = digest.withUnsafeBytes { $0.loadUnaligned(as: SIMD32<UInt8>.self) }
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { (0..<32).map { storage[$0] } }

    /// Lowercase hexadecimal.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for index in 0..<32 {
            text.append(digits[Int(storage[index] >> 4)])
            text.append(digits[Int(storage[index] & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The root of the empty tree: `SHA-256("")`.
    public static let emptyTree = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 || bytes)`: the leaf hash of one stored event.
    public static func leaf(_ bytes: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: bytes)
        return MerkleHash(digest: hasher.finalize())
    }

    /// `SHA-256(0x00 || bytes)` (array convenience).
    public static func leaf(_ bytes: [UInt8]) -> MerkleHash {
        bytes.withUnsafeBytes { leaf($0) }
    }

    /// `SHA-256(0x01 || left || right)`: an interior node.
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(1)) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: left.storage) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: right.storage) { hasher.update(bufferPointer: $0) }
        return MerkleHash(digest: hasher.finalize())
    }

    /// Appends the 32 bytes to `buffer`.
    package func append(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: storage) { buffer.append(contentsOf: $0) }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
