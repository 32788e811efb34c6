import Foundation
import SeededRandom

/// A simulated power cut for a daemon run with the `PowerCut` library preloaded (`environment(for:log:)`): once the
/// process is killed, `cut(_:)` rolls every file under the directory back to what a disk would hold after losing
/// power at that moment, from the undo records the library wrote before each write.
///
/// `.everythingUnsynced` drops every write no completed `fsync`/`fdatasync` covers; `.somePages` keeps a random part
/// of them, page by page (a disk that wrote some dirty pages and not others, in any order), and keeps or drops each
/// file's growth whole.
public struct PowerCut {
    public enum Loss: Sendable {
        case everythingUnsynced
        case somePages(seed: UInt64)
    }

    /// One write not yet covered by a sync: where, what it replaced, and the file's size before it.
    struct Pending {
        var offset: UInt64
        var sizeBefore: UInt64
        var replaced: [UInt8]
    }

    /// The preloaded library (`libPowerCut.so` beside the test binaries).
    public static var library: String {
        ((DaemonProcess.binary as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "libPowerCut.so"
        )
    }

    /// The variables that load the library into a daemon and have it record writes under `directory` into `log`.
    public static func environment(for directory: String, log: String) -> [String: String] {
        ["LD_PRELOAD": library, "POWERCUT_DIR": directory, "POWERCUT_LOG": log]
    }

    /// Rolls the files back as `loss` says, from the undo `log`, and empties the log.
    /// - Returns: how many files had unsynced writes.
    @discardableResult
    public static func cut(log: String, _ loss: Loss) throws -> Int {
        let pending = try parse(Array(try Data(contentsOf: URL(fileURLWithPath: log))))
        var random = SplitMix64(seed: { if case .somePages(let seed) = loss { seed } else { 0 } }())
        for (path, writes) in pending.sorted(by: { $0.key < $1.key }) where !writes.isEmpty {
            let handle = open(path, O_RDWR)
            guard handle >= 0 else { continue }
            defer { close(handle) }
            switch loss {
            case .everythingUnsynced:
                for write in writes.reversed() {
                    restore(write.replaced, at: write.offset, size: write.sizeBefore, handle)
                }
            case .somePages:
                dropSomePages(writes, handle, &random)
            }
        }
        try Data().write(to: URL(fileURLWithPath: log))
        return pending.values.filter { !$0.isEmpty }.count
    }

    private static func restore(_ bytes: [UInt8], at offset: UInt64, size: UInt64, _ handle: Int32) {
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { pwrite(handle, $0.baseAddress, $0.count, off_t(offset)) } }
        _ = ftruncate(handle, off_t(size))
    }

    /// Returns each page that unsynced writes touched to its synced bytes, or leaves it written, at random; the file's
    /// growth is kept or dropped whole.
    private static func dropSomePages(_ writes: [Pending], _ handle: Int32, _ random: inout SplitMix64) {
        let page: UInt64 = 4096
        let syncedSize = writes[0].sizeBefore
        // Undone in reverse, the writes of the pages to drop leave each byte as the first unsynced write found it.
        var drop = [UInt64: Bool]()
        for write in writes.reversed() where !write.replaced.isEmpty {
            var offset = write.offset
            let end = min(write.offset + UInt64(write.replaced.count), syncedSize)
            while offset < end {
                let pageEnd = min((offset / page + 1) * page, end)
                let dropped =
                    drop[offset / page]
                    ?? {
                        let choice = random.next() & 1 == 0
                        drop[offset / page] = choice
                        return choice
                    }()
                if dropped {
                    let slice = write.replaced[Int(offset - write.offset)..<Int(pageEnd - write.offset)]
                    _ = slice.withUnsafeBytes { pwrite(handle, $0.baseAddress, $0.count, off_t(offset)) }
                }
                offset = pageEnd
            }
        }
        if random.next() & 1 == 0 { _ = ftruncate(handle, off_t(syncedSize)) }
    }

    /// The writes each file has not synced yet, by path.
    static func parse(_ bytes: [UInt8]) throws -> [String: [Pending]] {
        var reader = Reader(bytes: bytes)
        var pending = [String: [Pending]]()
        // A kill can cut the last record short inside its one write(2); the write it was for never began.
        reading: while let tag = try? reader.byte() {
            guard let path = try? reader.string() else { break reading }
            switch tag {
            case UInt8(ascii: "W"):
                guard let offset = try? reader.u64(), let size = try? reader.u64(),
                    let length = (try? reader.u64()).flatMap({ Int(exactly: $0) }),
                    let replaced = try? reader.bytes(length), (try? reader.u64()) != nil
                else { break reading }
                pending[path, default: []].append(Pending(offset: offset, sizeBefore: size, replaced: replaced))
            case UInt8(ascii: "S"), UInt8(ascii: "U"):
                pending[path] = nil
            case UInt8(ascii: "R"):
                guard let target = try? reader.string() else { break reading }
                pending[target] = pending.removeValue(forKey: path)
            default:
                throw UnreadableLog(description: "unknown record \(tag) at byte \(reader.offset) of \(bytes.count)")
            }
        }
        return pending
    }

    /// The undo log does not read as the library writes it.
    public struct UnreadableLog: Error, CustomStringConvertible {
        public var description: String
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var atEnd: Bool { offset >= bytes.count }

        mutating func bytes(_ count: Int) throws -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else {
                throw UnreadableLog(description: "a record cut short at byte \(offset) of \(bytes.count)")
            }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func byte() throws -> UInt8 { try bytes(1)[0] }

        mutating func u64() throws -> UInt64 {
            try bytes(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }

        mutating func string() throws -> String {
            let length = try bytes(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            return String(decoding: try bytes(Int(length)), as: UTF8.self)
        }
    }

}
