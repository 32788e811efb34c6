import Foundation
import LedgerTestSupport
import Testing

/// What backups leave on disk: no partial copies of a backup killed part-way (they used to pile up, 1.3 GB after six
/// kills), files with the data files' modes (they used to be 0644, readable by every user, then 0640, readable by the
/// socket's group) in directories of the daemon's user alone, and an `INTERNAL` answer is always logged with its cause.
@Suite("Backup files on disk", .serialized)
struct BackupHygieneTests {
    /// Plants what `kill -9` during `BACKUP` leaves: a hidden partial copy with a data file in it.
    private func plantPartial(_ name: String, in backups: String) throws -> String {
        let partial = "\(backups)/.\(name).partial-Ab12Cd"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: partial + "/data.mdb"))
        return partial
    }

    @Test("partial copies of a killed backup are removed at start and before each backup; real backups stay")
    func partialsRemoved() throws {
        let daemon = try DaemonProcess()
        let backups = daemon.directory.appending("backups")
        let atStart = try plantPartial("nightly", in: backups)
        try daemon.start(["--backup-dir", backups])
        defer { daemon.stop() }
        #expect(!FileManager.default.fileExists(atPath: atStart), "removed at start")
        #expect(daemon.log.contains("removed partial backups"))
        let client = try daemon.connect()
        #expect(try client.request("BACKUP kept").hasPrefix("OK "))
        let beforeBackup = try plantPartial("weekly", in: backups)
        #expect(try client.request("BACKUP second").hasPrefix("OK "))
        #expect(!FileManager.default.fileExists(atPath: beforeBackup), "removed before the next backup")
        let left = try FileManager.default.contentsOfDirectory(atPath: backups).filter { !$0.hasPrefix(".lock") }
        #expect(Set(left) == ["kept", "second"])
    }

    @Test("a backup's directories are the owner's alone and its files have the data files' mode, whatever the umask")
    func modes() throws {
        let daemon = try DaemonProcess()
        let backups = daemon.directory.appending("backups")
        let previous = umask(0o022)
        defer { umask(previous) }
        try daemon.start(["--backup-dir", backups])
        defer { daemon.stop() }
        let client = try daemon.connect()
        _ = try client.request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#)
        #expect(try client.request("BACKUP modes").hasPrefix("OK "))
        let dataMode = try mode(daemon.dataDirectory + "/data.mdb")
        #expect(dataMode == 0o600)
        #expect(try mode(backups) == 0o700)
        #expect(try mode(backups + "/modes") == 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: backups + "/modes") {
            #expect(try mode(backups + "/modes/" + file) == dataMode, "\(file)")
        }
    }

    @Test("an INTERNAL answer is logged with its cause")
    func internalLogged() throws {
        let daemon = try DaemonProcess()
        let blocker = daemon.directory.appending("not-a-directory")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        try daemon.start(["--backup-dir", blocker + "/backups"])
        defer { daemon.stop() }
        let reply = try daemon.connect().request("BACKUP nightly")
        #expect(reply.hasPrefix("ERR INTERNAL {"), "\(reply)")
        #expect(daemon.log.contains("request failed inside the server"), "\(daemon.log)")
        #expect(daemon.log.contains("cannot create \(blocker)/backups"), "the cause is logged")
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }
}
