import Foundation
import LedgerTestSupport
import Testing

/// The socket's group reaches the socket and nothing else: the data directory and its files, backups and the signing
/// key are the daemon's user's alone (they used to be 0640 files in 0750 directories, and a reader copied `data.mdb`).
@Suite("What the socket's group can reach", .serialized)
struct DataAccessTests {
    /// A peer without a role or a user entry, in the socket's group (root's, 0) as operators grant access.
    static let peer: UInt32 = 61020

    @Test(
        "a peer in the socket's group connects but cannot read the data, the identity record, backups or the key",
        .enabled(if: RoleTests.canSwitchUsers, "needs root, /usr/bin/setpriv and /usr/bin/socat"),
        .timeLimit(.minutes(2))
    )
    func socketGroupReachesOnlyTheSocket() throws {
        let daemon = try DaemonProcess()
        let backups = daemon.directory.appending("backups")
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/access")
        try daemon.start(["--config", signing.config, "--backup-dir", backups])
        defer { daemon.stop() }
        let client = try daemon.connect()
        _ = try client.request(#"APPEND s any {"id":"0190f3a0-7c1e-7d2a-9b41-000000000001","type":"x-t","data":{}}"#)
        #expect(try client.request("BACKUP nightly").hasPrefix("OK "))

        let lines = try RoleTests.run(uid: Self.peer, gid: Self.peer, socket: daemon.socketPath, requests: ["PING"])
        #expect(lines == ["PONG"], "the socket's group reaches the socket")
        // The public key is meant for everyone: the peer can read what it is allowed to.
        #expect(try Self.canRead(signing.keyFile + ".pub", as: Self.peer))

        let data = daemon.dataDirectory
        let backup = backups + "/nightly"
        #expect(try Self.mode(data) == 0o700)
        #expect(try Self.mode(backups) == 0o700)
        #expect(try Self.mode(backup) == 0o700)
        let files =
            ["data.mdb", "lock.mdb", "writer.lock", "ledger-identity.json"].map { data + "/" + $0 }
            + ["data.mdb", "manifest.json"].map { backup + "/" + $0 } + [signing.keyFile]
        for file in files {
            #expect(try Self.mode(file) == 0o600, "\(file)")
            #expect(try !Self.canRead(file, as: Self.peer), "\(file) is readable by the socket's group")
        }
        #expect(try !Self.canRead(data, as: Self.peer, listing: true), "the data directory can be listed")
        #expect(try !Self.canRead(backups, as: Self.peer, listing: true), "the backup directory can be listed")
    }

    @Test(
        "a data directory an earlier ledgerd left open (0750) is made 0700 at start; such a backup directory is warned of"
    )
    func earlierDirectoriesTightened() throws {
        let daemon = try DaemonProcess()
        let backups = daemon.directory.appending("backups")
        for directory in [daemon.dataDirectory, backups] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            chmod(directory, 0o750)
        }
        try daemon.start(["--backup-dir", backups])
        defer { daemon.stop() }
        #expect(try Self.mode(daemon.dataDirectory) == 0o700)
        #expect(try Self.mode(backups) == 0o750, "the backup directory may be shared: it is not changed")
        let lines = daemon.log.split(separator: "\n")
        #expect(
            lines.contains { $0.contains("took group and other access off the data directory") && $0.contains("0750") },
            "\(daemon.log)"
        )
        #expect(
            lines.contains {
                $0.contains("the backup directory is open to its group or others") && $0.contains(backups)
            },
            "\(daemon.log)"
        )
    }

    /// Whether `uid`, in the socket's group 0, can read the file `path` (`cat`) or list the directory (`ls`).
    static func canRead(_ path: String, as uid: UInt32, listing: Bool = false) throws -> Bool {
        let tool = listing ? "/bin/ls" : "/bin/cat"
        return try Program.run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--groups=0", tool, path])
            .status == 0
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }
}
