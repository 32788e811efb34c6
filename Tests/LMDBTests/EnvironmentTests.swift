import Foundation
import LMDB
import LedgerTestSupport
import Synchronization
import Testing

@Suite("LMDB environment")
struct EnvironmentTests {
    @Test("put and get round trip; a missing key is nil, not an error")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things")
        try environment.write { txn in
            try txn.put(database, key: Array("a".utf8), value: Array("apple".utf8))
        }
        let found = try environment.read { txn in try txn.getBytes(database, key: Array("a".utf8)) }
        #expect(found == Array("apple".utf8))
        let missing = try environment.read { txn in try txn.getBytes(database, key: Array("zzz".utf8)) }
        #expect(missing == nil)
    }

    @Test("a throwing write closure aborts: nothing is stored")
    func abortOnThrow() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things")
        #expect(throws: Boom.self) {
            try environment.write { txn in
                try txn.put(database, key: [1], value: [1])
                throw Boom()
            }
        }
        #expect(try environment.read { try $0.count(database) } == 0)
    }

    @Test("noOverwrite refuses an existing key; append refuses a smaller key")
    func putFlags() throws {
        let directory = try TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things")
        try environment.write { txn in try txn.put(database, key: [5], value: [1]) }
        #expect(throws: LMDBError.keyExists) {
            try environment.write { txn in try txn.put(database, key: [5], value: [2], flags: .noOverwrite) }
        }
        #expect(throws: LMDBError.keyExists) {
            try environment.write { txn in try txn.put(database, key: [4], value: [2], flags: .append) }
        }
        #expect(try environment.read { try $0.getBytes(database, key: [5]) } == [1])
    }

    @Test("cursors walk in key order and seek to the first key at or after")
    func cursorOrder() throws {
        let directory = try TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things")
        try environment.write { txn in
            for key: UInt8 in [30, 10, 20] { try txn.put(database, key: [key], value: [key]) }
        }
        let keys = try environment.read { txn in
            try txn.withCursor(database) { cursor in
                var keys = [UInt8]()
                var entry = try cursor.first()
                while let (key, _) = entry {
                    keys.append(key[0])
                    entry = try cursor.next()
                }
                return keys
            }
        }
        #expect(keys == [10, 20, 30])
        let sought = try environment.read { txn in
            try txn.withCursor(database) { cursor in try cursor.seek(atLeast: [15]).map { $0.key[0] } }
        }
        #expect(sought == 20)
        let last = try environment.read { txn in try txn.withCursor(database) { try $0.last().map { $0.key[0] } } }
        #expect(last == 30)
    }

    @Test("a tiny map grows on demand and keeps every value")
    func mapGrowth() throws {
        let directory = try TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 64 << 10
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("things")
        let value = [UInt8](repeating: 7, count: 1000)
        for batch in 0..<20 {
            try environment.write { txn in
                for index in 0..<100 {
                    try txn.put(
                        database,
                        key: withUnsafeBytes(of: UInt32(batch * 100 + index).bigEndian) { Array($0) },
                        value: value
                    )
                }
            }
        }
        #expect(environment.mapGrowthCount > 0)
        #expect(environment.info().mapSize > 64 << 10)
        #expect(try environment.read { try $0.count(database) } == 2000)
    }

    @Test("info() and copies from other threads while the map grows read it safely")
    func infoDuringGrowth() async throws {
        let directory = try TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 64 << 10
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("things")
        let value = [UInt8](repeating: 7, count: 4000)
        let copies = try TemporaryDirectory()
        final class Flag: Sendable { let value = Atomic(false) }
        let written = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 0..<200 {
                    try environment.write { txn in
                        for index in 0..<20 {
                            try txn.put(
                                database,
                                key: withUnsafeBytes(of: UInt32(batch * 20 + index).bigEndian) { Array($0) },
                                value: value
                            )
                        }
                    }
                }
                written.value.store(true, ordering: .releasing)
            }
            group.addTask {
                var copy = 0
                while !written.value.load(ordering: .acquiring) {
                    #expect(environment.info().usedBytes <= environment.info().mapSize)
                    if copy < 5 {
                        let target = copies.path + "/\(copy)"
                        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
                        try environment.copy(to: target)
                        copy += 1
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(environment.mapGrowthCount >= 6)
        #expect(try environment.read { try $0.count(database) } == 4000)
    }

    @Test("a map at its maximum fails the write with a storage-full error and keeps what was committed")
    func mapLimit() throws {
        let directory = try TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 64 << 10
        options.maxMapSize = 256 << 10
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("things")
        try environment.write { txn in try txn.put(database, key: [0], value: [1]) }
        let big = [UInt8](repeating: 1, count: 512 << 10)
        do {
            try environment.write { txn in try txn.put(database, key: [1], value: big) }
            Issue.record("the write should have failed")
        } catch let error as LMDBError {
            #expect(error.isStorageFull)
        }
        #expect(try environment.read { try $0.getBytes(database, key: [0]) } == [1])
    }

    @Test("a missing directory fails to open with the system's message")
    func missingDirectory() throws {
        #expect(throws: LMDBError.noSuchFile) {
            _ = try Environment(path: "/nonexistent/ledger-data")
        }
        #expect(LMDBError.noSuchFile.description.contains("No such file"))
    }

    @Test("info reports map size, use and reader slots; stale readers are checked at open")
    func info() throws {
        let directory = try TemporaryDirectory()
        var options = Environment.Options()
        options.maxReaders = 64
        let environment = try Environment(path: directory.path, options: options)
        let info = environment.info()
        #expect(info.maxReaders == 64)
        #expect(info.usedBytes > 0 && info.usedBytes <= info.mapSize)
        #expect(environment.staleReadersClearedAtOpen == 0)
        #expect(try environment.clearStaleReaders() == 0)
    }

    @Test("readersUsed counts the read transactions open now, not the most ever open")
    func readersUsedGoesDown() throws {
        let directory = try TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        #expect(environment.info().readersUsed == 0)
        let inside = try environment.read { _ in environment.info().readersUsed }
        #expect(inside == 1)
        #expect(environment.info().readersUsed == 0)
        #expect(environment.readerSlotsInUse() == 0)
    }

    @Test("reserve grows the map and reserves disk blocks past data.mdb's end without changing its size")
    func reserve() throws {
        let directory = try TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 1 << 20
        options.maxMapSize = 256 << 20
        let environment = try Environment(path: directory.path, options: options)
        let file = directory.path + "/data.mdb"
        let before = try Self.sizeAndBlocks(file)
        #expect(environment.reserve(16 << 20))
        #expect(environment.info().mapSize >= (16 << 20) + Environment.mapMargin, "the map holds them and a margin")
        let after = try Self.sizeAndBlocks(file)
        #expect(after.size == before.size, "the file keeps the size LMDB gave it")
        #expect(after.allocated >= before.allocated + (16 << 20), "the blocks are reserved past its end")
        // More than the map may ever hold with its margin: nothing is reserved, and the map is not grown for it.
        let map = environment.info().mapSize
        #expect(!environment.reserve((256 << 20) - Environment.mapMargin))
        #expect(!environment.reserve(-1))
        #expect(environment.info().mapSize == map)
        // A reservation already made costs nothing more; a commit within it stores as usual.
        #expect(environment.reserve(1 << 20))
        let database = try environment.openDatabase("d")
        try environment.write { txn in
            try txn.put(database, key: Array("k".utf8), value: [UInt8](repeating: 1, count: 1 << 20))
        }
        #expect(try environment.read { txn in try txn.getBytes(database, key: Array("k".utf8))?.count } == 1 << 20)
    }

    /// A file's size and the bytes allocated to it on disk.
    static func sizeAndBlocks(_ path: String) throws -> (size: Int, allocated: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(.ENOENT) }
        return (Int(info.st_size), Int(info.st_blocks) * 512)
    }
}
