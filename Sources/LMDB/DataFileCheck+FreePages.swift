extension DataFileCheck {
    /// The most missing pages a file may lack and still be checked against its free list; a file shorter than that
    /// is truncated without looking further.
    static let maxMissingPages: UInt64 = 1 << 16

    /// Whether every page between the end of the file and the meta's last page is on LMDB's free list, so that
    /// nothing refers to it. Reads only the free-list tree (a few pages), never past the end of the file.
    ///
    /// The free-list tree (lmdb 0.9 `mdb.c`): a page is a 16-byte header (`mp_pgno` at 0, `mp_flags` `UInt16` at 10,
    /// `mp_lower` `UInt16` at 12, or for an overflow page `mp_pages` `UInt32` at 12), then `UInt16` node offsets up
    /// to `mp_lower`. A node is `mn_lo`, `mn_hi`, `mn_flags`, `mn_ksize` (`UInt16` each), then the key and the data.
    /// A branch node's child is `mn_lo | mn_hi << 16 | mn_flags << 32`; a leaf node's data (`mn_lo | mn_hi << 16`
    /// bytes, or on overflow pages when `F_BIGDATA` is set, their first page number as its data) is a page list:
    /// a `UInt64` count, then that many page numbers.
    /// - Returns: false when a page is missing from the free list, or the tree cannot be read within the file.
    static func missingPagesAreFree(
        _ meta: Meta,
        size: Int,
        read: (Int, Int) throws(DataFileError) -> [UInt8]
    ) throws(DataFileError) -> Bool {
        let pageSize = UInt64(meta.pageSize)
        let filePages = UInt64(size) / pageSize
        guard meta.lastPage >= filePages, meta.lastPage - filePages < maxMissingPages else { return false }
        var missing = Set(filePages...meta.lastPage)
        var pending = meta.freeRoot == UInt64.max ? [] : [meta.freeRoot]
        var visited = 0
        while let pageNumber = pending.popLast() {
            visited += 1
            guard pageNumber >= 2, pageNumber < filePages, visited <= filePages else { return false }
            let page = Page(bytes: try read(Int(pageNumber * pageSize), meta.pageSize))
            guard page.bytes.count == meta.pageSize, page.number == pageNumber, let nodes = page.nodeOffsets else {
                return false
            }
            for offset in nodes {
                guard let node = page.node(at: offset) else { return false }
                if page.isBranch {
                    pending.append(node.child)
                    continue
                }
                guard page.isLeaf else { return false }
                let list: Page.Bytes
                if node.flags & Page.bigData != 0 {
                    guard let first = page.uint64(at: node.dataOffset), first >= 2, first < filePages else {
                        return false
                    }
                    let header = Page(bytes: try read(Int(first * pageSize), meta.pageSize))
                    guard let count = header.overflowPages, first + count <= filePages else { return false }
                    list = Page.Bytes(try read(Int(first * pageSize) + Page.headerBytes, node.dataSize))
                } else {
                    list = page.bytes[node.dataOffset..<min(node.dataOffset + node.dataSize, page.bytes.count)]
                }
                guard let pages = Page.pageList(list) else { return false }
                for free in pages { missing.remove(free) }
            }
        }
        return missing.isEmpty
    }
}

/// One page of an LMDB file as read from it, with the few fields the free-list walk needs.
struct Page {
    typealias Bytes = ArraySlice<UInt8>

    static let headerBytes = 16
    static let branch: UInt16 = 0x01
    static let leaf: UInt16 = 0x02
    static let bigData: UInt16 = 0x01

    let bytes: Bytes

    init(bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    var number: UInt64? { uint64(at: 0) }
    var flags: UInt16 { uint16(at: 10) ?? 0 }
    var isBranch: Bool { flags & Self.branch != 0 }
    var isLeaf: Bool { flags & Self.leaf != 0 }
    /// The page count of an overflow run, from its first page.
    var overflowPages: UInt64? { uint32(at: 12).map(UInt64.init) }

    /// The offsets of the page's nodes, nil when `mp_lower` does not fit the page.
    var nodeOffsets: [Int]? {
        guard let lower = uint16(at: 12).map(Int.init), lower >= Self.headerBytes, lower <= bytes.count else {
            return nil
        }
        return stride(from: Self.headerBytes, to: lower - 1, by: 2).compactMap { uint16(at: $0).map(Int.init) }
    }

    /// The node at `offset`, nil when it does not fit the page.
    func node(at offset: Int) -> Node? {
        guard let low = uint16(at: offset), let high = uint16(at: offset + 2), let flags = uint16(at: offset + 4),
            let keySize = uint16(at: offset + 6)
        else { return nil }
        let dataOffset = offset + 8 + Int(keySize)
        guard dataOffset <= bytes.count else { return nil }
        return Node(
            child: UInt64(low) | UInt64(high) << 16 | UInt64(flags) << 32,
            flags: flags,
            dataSize: Int(low) | Int(high) << 16,
            dataOffset: dataOffset
        )
    }

    /// A free-list record's page numbers: a count, then that many numbers; nil when they do not fit `bytes`.
    static func pageList(_ bytes: Bytes) -> [UInt64]? {
        let page = Page(slice: bytes)
        guard let count = page.uint64(at: 0), count <= UInt64(bytes.count / 8) else { return nil }
        return (0..<Int(count)).compactMap { page.uint64(at: 8 + 8 * $0) }
    }

    private init(slice: Bytes) {
        bytes = slice
    }

    func uint16(at offset: Int) -> UInt16? { load(offset, as: UInt16.self) }
    func uint32(at offset: Int) -> UInt32? { load(offset, as: UInt32.self) }
    func uint64(at offset: Int) -> UInt64? { load(offset, as: UInt64.self) }

    private func load<Value: FixedWidthInteger>(_ offset: Int, as type: Value.Type) -> Value? {
        guard offset >= 0, offset + MemoryLayout<Value>.size <= bytes.count else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
    }

    /// A node's fields: its child page (branch) or its data's size and place (leaf).
    struct Node {
        var child: UInt64
        var flags: UInt16
        var dataSize: Int
        var dataOffset: Int
    }
}
