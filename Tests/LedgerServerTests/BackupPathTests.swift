import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `BACKUP <name>` writes only a new directory directly inside the configured backup directory: names that are paths
/// or could be read as one, and names already taken (symbolic links planted there included), are `BAD_REQUEST`, and
/// nothing is written anywhere.
@Suite("BACKUP stays inside the backup directory", .serialized)
final class BackupPathTests {
    let daemon: DaemonProcess
    let backups: String
    /// A directory beside the backup directory that no backup may touch.
    let outside: String

    init() throws {
        daemon = try DaemonProcess()
        backups = daemon.directory.appending("backups")
        outside = daemon.directory.appending("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        try "keep".write(toFile: outside + "/sentinel", atomically: true, encoding: .utf8)
        try daemon.start(["--backup-dir", backups])
        _ = try daemon.connect().request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#)
    }

    deinit {
        daemon.stop()
    }

    @Test("path-like, control-character and look-alike names are BAD_REQUEST and write nothing")
    func pathNames() throws {
        let client = try daemon.connect()
        let before = try tree()
        for name in Self.pathNames {
            try client.send(bytes: Array("BACKUP ".utf8) + name + [0x0A])
            let reply = try #require(try client.readLine(), "\(name): connection closed")
            #expect(reply.hasPrefix("ERR BAD_REQUEST {"), "\(name): \(reply)")
        }
        #expect(try client.request("PING") == "PONG")
        #expect(try tree() == before, "nothing was written anywhere")
        #expect(!FileManager.default.fileExists(atPath: backups), "the backup directory was not even created")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/ledger-backup-escape"))
        #expect(!daemon.log.contains("backup failed"), "refused names are not logged")
    }

    @Test("taken names, symbolic links to outside included, are BAD_REQUEST and nothing is overwritten")
    func takenNames() throws {
        let client = try daemon.connect()
        let first = try client.request("BACKUP nightly")
        #expect(first.hasPrefix("OK "), "\(first)")
        let manifest = try Data(contentsOf: URL(fileURLWithPath: backups + "/nightly/manifest.json"))
        let files = FileManager.default
        try files.createSymbolicLink(atPath: backups + "/planted", withDestinationPath: outside)
        try files.createSymbolicLink(atPath: backups + "/dangling", withDestinationPath: outside + "/new")
        try files.createSymbolicLink(atPath: backups + "/file-link", withDestinationPath: outside + "/sentinel")
        try files.createDirectory(atPath: backups + "/empty", withIntermediateDirectories: false)
        try "x".write(toFile: backups + "/plain", atomically: true, encoding: .utf8)
        let before = try tree()
        for name in ["nightly", "planted", "dangling", "file-link", "empty", "plain"] {
            let reply = try client.request("BACKUP \(name)")
            #expect(reply.hasPrefix(#"ERR BAD_REQUEST {"message":""#), "\(name): \(reply)")
            #expect(reply.contains("/backups/\(name) already exists"), "\(name): \(reply)")
        }
        #expect(try tree() == before, "nothing was written or replaced")
        #expect(try Data(contentsOf: URL(fileURLWithPath: backups + "/nightly/manifest.json")) == manifest)
    }

    @Test("names using every allowed character land directly inside the backup directory")
    func allowedNames() throws {
        let client = try daemon.connect()
        for name in ["a..b", "Nightly_2026-11-23T02:00@host.v1", "9", String(repeating: "x", count: 128)] {
            let reply = try client.request("BACKUP \(name)")
            let path = try #require(try JSONParser.parse(Array(reply.utf8.dropFirst(3)))["path"]?.stringValue)
            #expect(path == "\(backups)/\(name)", "\(reply)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["data.mdb", "manifest.json"]
            )
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: backups).filter { $0 != ".lock" }
        #expect(entries.count == 4 && !entries.contains { $0.hasPrefix(".") }, "no partial copies left: \(entries)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["sentinel"])
    }

    /// Every entry under the test's directory but the daemon's own, with its size and modification time.
    func tree() throws -> [String: String] {
        var entries = [String: String]()
        let root = daemon.directory.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return entries }
        while let relative = walker.nextObject() as? String {
            guard !relative.hasPrefix("data"), relative != "ledgerd.log", relative != "ledgerd.sock" else { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries[relative] = "\(size) \(modified)"
        }
        return entries
    }

    /// Names that must never become a path: traversal, absolute paths, separators, hidden names, control and
    /// non-ASCII characters (look-alike dots and slashes), invalid UTF-8, NUL, too long, or more than one word.
    static let pathNames: [[UInt8]] =
        [
            "..", ".", "../outside", "../outside/x", "a/../../outside", "nightly/../../outside",
            "/tmp/ledger-backup-escape",
            "a/b", "a\\b", ".hidden", "-rf", "~", "~root", "%2e%2e%2foutside", "a\tb", "a\u{1B}[2Jb", "a\rb",
            "a\u{7F}b",
            "a\u{85}b", "a\u{2215}b", "\u{FF0E}\u{FF0E}", "a\u{FF0F}b", "\u{2024}\u{2024}",
            String(repeating: "x", count: 129),
            "", "a b", "../outside {}",
        ].map { Array($0.utf8) } + [
            Array("a".utf8) + [0] + Array("b".utf8),
            [0xC0, 0xAE, 0xC0, 0xAE],
            [0x2E, 0x2E, 0x2F, 0xFF],
        ]
}
