import Foundation
import LMDB
import LedgerTestSupport
import SeededRandom
import Testing

@Suite("LMDB data-file check")
struct DataFileCheckTests {
    /// An environment with enough data to span many pages, closed again; returns its `data.mdb` path.
    static func dataFile(in directory: TemporaryDirectory) throws -> String {
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things")
        try environment.write { txn in
            for key in 0..<UInt16(200) {
                try txn.put(
                    database,
                    key: [UInt8(key >> 8), UInt8(key & 0xFF)],
                    value: [UInt8](repeating: 7, count: 2000)
                )
            }
        }
        return directory.appending("data.mdb")
    }

    @Test("no file is absent, a zero-byte file is empty, a whole file is sound and needs exactly its pages")
    func soundFiles() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("data.mdb")
        #expect(try DataFileCheck.check(path) == .absent)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(try DataFileCheck.check(path) == .empty)
        try FileManager.default.removeItem(atPath: path)
        _ = try Self.dataFile(in: directory)
        guard case .sound(let meta) = try DataFileCheck.check(path) else {
            Issue.record("a whole file is not sound")
            return
        }
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(meta.neededBytes <= size)
        #expect(meta.neededBytes == Int(meta.lastPage + 1) * meta.pageSize)
        #expect(meta.lastPage > 50)
    }

    @Test(
        "a sound file shorter than its meta's last page (pages freed where they were allocated) opens; cut, it is refused"
    )
    func shortButSound() throws {
        var short = 0
        var random = SplitMix64(seed: 29)
        for trial in 0..<12 {
            let directory = try TemporaryDirectory()
            let path = directory.appending("data.mdb")
            do {
                let environment = try Environment(path: directory.path)
                let databases = try (0..<3).map { try environment.openDatabase("d\($0)") }
                for _ in 0..<8 {
                    // Puts and deletes in one transaction free pages it allocated: LMDB counts them in the meta's
                    // last page but never writes them, so a sound file often ends short of it.
                    try environment.write { txn in
                        var keys = [[UInt8]]()
                        for _ in 0..<Int(random.next() % 2000 + 1) {
                            let key = withUnsafeBytes(of: random.next()) { Array($0) }
                            keys.append(key)
                            let size = [10, 100, 3000, 9000][Int(random.next() % 4)]
                            let database = databases[Int(random.next() % 3)]
                            try txn.put(database, key: key, value: [UInt8](repeating: 1, count: size))
                        }
                        for key in keys where random.next() % 2 == 0 {
                            for database in databases { _ = try txn.delete(database, key: key) }
                        }
                    }
                    guard case .sound(let meta) = try DataFileCheck.check(path) else {
                        Issue.record("trial \(trial): a sound file is refused")
                        return
                    }
                    let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
                    if size < Int(meta.lastPage + 1) * meta.pageSize { short += 1 }
                }
            }
            _ = try Environment(path: directory.path)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(truncate(path, off_t(size / 2)) == 0)
            #expect(throws: DataFileError.self, "trial \(trial): half the file") { try DataFileCheck.check(path) }
        }
        #expect(short > 0, "some files were short of their meta's last page")
    }

    @Test("a file one page short is truncated, and Environment refuses it instead of mapping it")
    func truncatedFile() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.dataFile(in: directory)
        guard case .sound(let meta) = try DataFileCheck.check(path) else {
            Issue.record("a whole file is not sound")
            return
        }
        let short = meta.neededBytes - meta.pageSize
        #expect(truncate(path, off_t(short)) == 0)
        #expect(throws: DataFileError.truncated(path: path, size: short, meta: meta)) {
            try DataFileCheck.check(path)
        }
        #expect(throws: DataFileError.truncated(path: path, size: short, meta: meta)) {
            try Environment(path: directory.path)
        }
        #expect(
            DataFileError.truncated(path: path, size: short, meta: meta).description
                == "\(path) is truncated: it has \(short) bytes, but its LMDB meta page (transaction "
                + "\(meta.transaction)) needs \(meta.neededBytes) "
                + "(\(meta.lastPage + 1) pages of \(meta.pageSize) bytes)"
        )
    }

    @Test("a file that is not LMDB, or ends inside its second meta page, is refused")
    func notLMDB() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("data.mdb")
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 10000))
        #expect(throws: DataFileError.notLMDB(path: path, reason: "page 0 is not an LMDB meta page")) {
            try DataFileCheck.check(path)
        }
        try FileManager.default.removeItem(atPath: path)
        _ = try Self.dataFile(in: directory)
        #expect(truncate(path, 4096 + 100) == 0)
        #expect(
            throws: DataFileError.notLMDB(path: path, reason: "it has 4196 bytes and ends inside its second meta page")
        ) {
            try DataFileCheck.check(path)
        }
    }
}
