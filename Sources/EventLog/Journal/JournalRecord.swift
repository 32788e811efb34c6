import DurableFiles

/// One group commit's events as the journal holds them: the envelopes, exactly as stored, behind a header that says
/// where they go and a CRC-32C that says they arrived whole.
///
/// Layout, big-endian: magic `LJR1` (4 bytes), payload length (4), CRC-32C of everything after it (4), first
/// position (8), event count (4), the imported prefix after these events (8, `WriterState.importedThrough`), then
/// the payload: each envelope as its length (4) and bytes. A record is valid only whole, at the position the journal
/// expects next; the zeros a segment is preallocated with, a torn write and a stale record all fail one of these.
struct JournalRecord: Sendable, Equatable {
    var first: UInt64
    var importedThrough: UInt64
    var envelopes: [[UInt8]]

    static let magic: UInt32 = 0x4C4A_5231
    static let headerBytes = 32
    /// The largest payload a record may claim: a group commit holds at most `GroupCommitWriter.maxBatchBytes` of event
    /// bytes and one request more (one line, at most 64 MiB), envelopes included; anything larger is read as damage.
    static let maxPayloadBytes = 1 << 30

    /// Starts the bytes of a record at `first`; envelopes are added with `append(envelope:to:)` and the header
    /// finished with `seal(_:count:importedThrough:)`.
    static func begin(_ bytes: inout [UInt8], first: UInt64) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: headerBytes))
        store(first, at: 12, in: &bytes)
    }

    static func append(envelope: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        append(UInt32(envelope.count), to: &bytes)
        bytes.append(contentsOf: envelope)
    }

    /// Fills in the header of a record begun with `begin`.
    static func seal(_ bytes: inout [UInt8], count: Int, importedThrough: UInt64) {
        precondition(bytes.count >= headerBytes && count > 0, "a record holds at least one event")
        precondition(bytes.count - headerBytes <= maxPayloadBytes, "the writer's batch limit keeps records readable")
        store32(magic, at: 0, in: &bytes)
        store32(UInt32(bytes.count - headerBytes), at: 4, in: &bytes)
        store32(UInt32(count), at: 20, in: &bytes)
        store(importedThrough, at: 24, in: &bytes)
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[12...])) }
        store32(crc, at: 8, in: &bytes)
    }

    /// The record at the start of `bytes` if it is whole and at `expected`, and its length in bytes; nil otherwise
    /// (the journal ends there).
    static func read(_ bytes: UnsafeRawBufferPointer, expected: UInt64) -> (JournalRecord, Int)? {
        guard bytes.count >= headerBytes, load32(bytes, at: 0) == magic else { return nil }
        let payload = Int(load32(bytes, at: 4))
        guard payload <= maxPayloadBytes, payload <= bytes.count - headerBytes else { return nil }
        let length = headerBytes + payload
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[12..<length])) == load32(bytes, at: 8),
            load64(bytes, at: 12) == expected
        else { return nil }
        let count = Int(load32(bytes, at: 20))
        var envelopes = [[UInt8]]()
        envelopes.reserveCapacity(count)
        var offset = headerBytes
        while envelopes.count < count {
            guard length - offset >= 4 else { return nil }
            let size = Int(load32(bytes, at: offset))
            offset += 4
            guard size <= length - offset else { return nil }
            envelopes.append(Array(bytes[offset..<offset + size]))
            offset += size
        }
        guard offset == length, count > 0 else { return nil }
        return (JournalRecord(first: expected, importedThrough: load64(bytes, at: 24), envelopes: envelopes), length)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func store32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self) }
    }

    private static func store(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self) }
    }

    static func load32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    static func load64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
