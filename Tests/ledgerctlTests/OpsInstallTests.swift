import Foundation
import LedgerTestSupport
import Synchronization
import Testing

@Suite("ops/install, backup under load, restore", .serialized)
struct OpsInstallTests {
    static let repository = SpecDocument.repository
    static let units = [
        "ledgerd.service", "ledgerd-backup.service", "ledgerd-backup.timer", "ledger-monitor.service",
        "ledger-monitor.timer",
    ]

    @Test(
        "an installed ledgerd backs up under load; the restored copy verifies and has the manifest's root",
        .timeLimit(.minutes(3))
    )
    func installBackupRestore() async throws {
        let root = try TemporaryDirectory(prefix: "ops-root")
        let installed = try await Self.install(into: root)
        let daemon = try DaemonProcess(executable: installed.ledgerd)
        let backups = daemon.directory.appending("backups")
        let metricsFile = daemon.directory.appending("ledgerd.prom")
        let config = try Self.adjust(
            root.appending("etc/ledgerd/ledgerd.json"),
            installedRoot: root.path,
            daemon: daemon,
            backups: backups,
            metricsFile: metricsFile
        )
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        // The file's writer runs beside the socket server: its first write may follow the daemon's first PONG.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: metricsFile), Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: metricsFile))
        let metrics = try await LedgerctlProcess.run(
            ["metrics"],
            socket: daemon.socketPath,
            executable: installed.ledgerctl
        )
        #expect(metrics.status == 0 && metrics.lines.contains("ledger_head_position 0.0"), "\(metrics.stderr)")

        let load = AppendLoad(socket: daemon.socketPath)
        #expect(load.waitUntil(appended: 300))
        let backup = try await LedgerctlProcess.run(
            ["backup", "under-load"],
            socket: daemon.socketPath,
            executable: installed.ledgerctl
        )
        let appendedBeforeReply = load.appended
        #expect(load.waitUntil(appended: appendedBeforeReply + 100))
        load.stop()
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(load.failure == nil, "\(load.failure ?? "")")

        let backupDirectory = "\(backups)/under-load"
        let manifest = try Self.json(at: "\(backupDirectory)/manifest.json")
        let position = try #require(manifest["position"] as? Int)
        let merkleRoot = try #require(manifest["root"] as? String)
        #expect(position >= 300 && position < load.appended, "the copy holds a snapshot taken while appends went on")
        #expect(backup.lines.contains("root \(merkleRoot)"))
        #expect(backup.lines.contains("position \(position)"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: backupDirectory).sorted() == [
                "data.mdb", "manifest.json",
            ]
        )

        let restored = try DaemonProcess(executable: installed.ledgerd)
        let restore = try await LedgerctlProcess.run(
            ["restore", backupDirectory, restored.dataDirectory],
            socket: nil,
            executable: installed.ledgerctl
        )
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.lines.contains("root \(merkleRoot)"))
        try restored.start()
        defer { restored.stop() }
        #expect(
            try restored.connect().request("VERIFY", timeout: 60)
                == #"OK {"root":"\#(merkleRoot)","size":\#(position),"verified":\#(position)}"#
        )
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: backupDirectory).sorted() == [
                "data.mdb", "manifest.json",
            ]
        )
    }

    @Test("restore refuses a tampered manifest, corrupted events and a non-empty target, leaving nothing behind")
    func restoreRefusals() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        for index in 1...20 {
            let reply = try client.request(
                #"APPEND s any {"id":"\#(uuid(index))","type":"x-load","data":{"i":\#(index)}}"#
            )
            #expect(reply.hasPrefix("OK "))
        }
        #expect(try client.request("BACKUP good").hasPrefix(#"OK {"bytes":"#))
        let good = daemon.dataDirectory + "-backups/good"
        let scratch = try TemporaryDirectory(prefix: "restore")

        let nonEmpty = try LedgerctlProcess.run(["restore", good, daemon.directory.path], socket: nil)
        #expect(nonEmpty.status == 1)
        #expect(nonEmpty.stderr.contains("already exists"))

        let tampered = try Self.copy(good, to: scratch.appending("tampered"))
        let manifestPath = "\(tampered)/manifest.json"
        var manifest = try Self.json(at: manifestPath)
        manifest["root"] = String(repeating: "0", count: 64)
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))
        let mismatch = try LedgerctlProcess.run(["restore", tampered, scratch.appending("a")], socket: nil)
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("the backup does not match its manifest"), "\(mismatch.stderr)")

        let corrupted = try Self.copy(good, to: scratch.appending("corrupted"))
        let dataPath = "\(corrupted)/data.mdb"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dataPath))
        let marker = try #require(bytes.range(of: Data(#""i":7}"#.utf8)))
        bytes[marker.lowerBound + 4] = UInt8(ascii: "8")
        try bytes.write(to: URL(fileURLWithPath: dataPath))
        let corrupt = try LedgerctlProcess.run(["restore", corrupted, scratch.appending("b")], socket: nil)
        #expect(corrupt.status == 1)
        #expect(corrupt.stderr.contains("integrity check failed at position 7"), "\(corrupt.stderr)")

        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == ["corrupted", "tampered"])
    }

    @Test("restore into a one-character relative path (Foundation's path functions trapped on it)")
    func restoreShortRelativeTarget() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        #expect(try client.request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#).hasPrefix("OK "))
        #expect(try client.request("BACKUP short").hasPrefix(#"OK {"bytes":"#))
        let backup = daemon.dataDirectory + "-backups/short"
        for target in ["r", "q/"] {
            // ledgerctl runs in a directory of its own, so the relative target lands there.
            let restore = try LedgerctlProcess.run(["restore", backup, target], socket: nil)
            #expect(restore.status == 0, "\(target): \(restore.status) \(restore.stderr)")
            #expect(restore.lines.contains("verified 1 events"), "\(target): \(restore.stdout)")
        }
    }

    @Test("ops/install says what it skipped; the installed units pass systemd-analyze verify")
    func unitsVerify() async throws {
        let analyzer = "/usr/bin/systemd-analyze"
        guard FileManager.default.isExecutableFile(atPath: analyzer) else {
            print("skipped systemd-analyze verify: \(analyzer) is not installed (apt-get install systemd)")
            return
        }
        let root = try TemporaryDirectory(prefix: "ops-root")
        _ = try await Self.install(into: root)
        // The units name /usr/local/bin; point them at the staged binaries so verify can check they exist.
        let staged = try TemporaryDirectory(prefix: "units")
        var paths = [String]()
        for unit in Self.units {
            let text = try String(contentsOfFile: root.appending("etc/systemd/system/\(unit)"), encoding: .utf8)
            let path = staged.appending(unit)
            try text.replacingOccurrences(of: "/usr/local/", with: root.appending("usr/local/"))
                .write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let verify = try await Program.run(analyzer, ["verify"] + paths)
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
    }

    @Test(
        "the installed backup unit never starts the daemon, and its retention removes only nightly backups over 30 days"
    )
    func backupRetention() async throws {
        let root = try TemporaryDirectory(prefix: "ops-root")
        _ = try await Self.install(into: root)
        let unit = try String(
            contentsOfFile: root.appending("etc/systemd/system/ledgerd-backup.service"),
            encoding: .utf8
        )
        let lines = unit.split(separator: "\n").map(String.init)
        #expect(lines.contains("Requisite=ledgerd.service") && !lines.contains { $0.hasPrefix("Requires=") })
        let prune = try #require(lines.first { $0.hasPrefix("ExecStartPost=") }).dropFirst("ExecStartPost=".count)
        // The unit's own command, pointed at a backup directory holding old and new, nightly and hand-named backups.
        let backups = try TemporaryDirectory(prefix: "backups")
        let old = Date().addingTimeInterval(-40 * 86_400)
        for (name, date) in [("auto-old", old), ("auto-new", Date()), ("before-migration", old)] {
            try FileManager.default.createDirectory(atPath: backups.appending(name), withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: backups.appending(name))
        }
        #expect(FileManager.default.createFile(atPath: backups.appending(".lock"), contents: nil))
        let words = prune.split(separator: " ").map { $0 == "/var/backups/ledgerd" ? backups.path : String($0) }
        let outcome = try await Program.run(words[0], Array(words.dropFirst()))
        #expect(outcome.status == 0, "\(outcome.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: backups.path).sorted()
        #expect(left == [".lock", "auto-new", "before-migration"])
    }

    @Test("ops/install makes the data, backups and signing key the service user's alone, an earlier install's too")
    func ownerOnlyModes() async throws {
        let root = try TemporaryDirectory(prefix: "ops-root")
        // What an earlier install left: a 0750 data directory holding a 0640 data file, readable by the group.
        let data = root.appending("var/lib/ledgerd")
        try FileManager.default.createDirectory(
            atPath: data,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750]
        )
        #expect(
            FileManager.default.createFile(
                atPath: data + "/data.mdb",
                contents: nil,
                attributes: [.posixPermissions: 0o640]
            )
        )
        _ = try await Self.install(into: root)
        #expect(try Self.mode(data) == 0o700)
        #expect(try Self.mode(data + "/data.mdb") == 0o600)
        #expect(try Self.mode(root.appending("var/backups/ledgerd")) == 0o700)
        #expect(try Self.mode(root.appending("etc/ledgerd/checkpoint.key")) == 0o600)
        // The socket's directory: everyone passes through it; the socket's access list decides who connects.
        #expect(try Self.mode(root.appending("run/ledgerd")) == 0o755)
        let unit = try String(contentsOfFile: root.appending("etc/systemd/system/ledgerd.service"), encoding: .utf8)
        #expect(unit.contains("\nStateDirectoryMode=0700\n"), "systemd makes /var/lib/ledgerd 0700 at each start")
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    /// Runs `ops/install --root` with the binaries this test run built and `arguments`; returns the installed tools.
    static func install(
        into root: TemporaryDirectory,
        _ arguments: [String] = []
    ) async throws -> (ledgerd: String, ledgerctl: String) {
        let binaries = (DaemonProcess.binary as NSString).deletingLastPathComponent
        let outcome = try await Program.run(
            "/bin/bash",
            ["\(repository)/ops/install", "--root", root.path, "--skip-build", "--bin-dir", binaries] + arguments
        )
        #expect(outcome.status == 0, "\(outcome.output)")
        if !arguments.contains("--create-accounts") {
            #expect(
                outcome.output.contains(
                    "skipped: creating the system user ledgerd and the groups ledger-writers ledger-readers"
                        + " ledger-auditors ledger-ops (--root install)"
                ),
                "\(outcome.output)"
            )
        }
        #expect(outcome.output.contains("skipped: systemctl daemon-reload (--root install)"))
        for path in ["var/lib/ledgerd", "run/ledgerd", "var/backups/ledgerd", "etc/ledgerd/ledgerd.json"]
            + units.map({ "etc/systemd/system/\($0)" })
        {
            #expect(FileManager.default.fileExists(atPath: root.appending(path)), "\(path) was not installed")
        }
        return (root.appending("usr/local/bin/ledgerd"), root.appending("usr/local/bin/ledgerctl"))
    }

    /// The installed sample configuration with its paths moved into the test's directory and its role mapping
    /// (users and groups of a production machine) removed; the signing key is the one the install made.
    static func adjust(
        _ sample: String,
        installedRoot: String,
        daemon: DaemonProcess,
        backups: String,
        metricsFile: String
    ) throws -> String {
        var config = try json(at: sample)
        config["dataDirectory"] = daemon.dataDirectory
        config["backupDirectory"] = backups
        config["socket"] = ["path": daemon.socketPath, "mode": "0660"]
        config["metrics"] = ["file": metricsFile, "intervalSeconds": 1]
        config["roles"] = nil
        var checkpoints = try #require(config["checkpoints"] as? [String: Any])
        checkpoints["keyFile"] = installedRoot + "/etc/ledgerd/checkpoint.key"
        config["checkpoints"] = checkpoints
        let path = daemon.directory.appending("ledgerd.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func json(at path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require(object as? [String: Any])
    }

    static func copy(_ source: String, to destination: String) throws -> String {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }
}

/// A writer appending batches of `x-load` events on its own thread until stopped.
final class AppendLoad: Sendable {
    private struct State {
        var appended = 0
        var stopping = false
        var stopped = false
        var failure: String?
    }

    private let state = Mutex(State())

    init(socket: String) {
        Thread { [self] in run(socket: socket) }.start()
    }

    /// Events acknowledged so far.
    var appended: Int { state.withLock { $0.appended } }
    /// The first unexpected reply or error, if any.
    var failure: String? { state.withLock { $0.failure } }

    /// Waits up to 60 s until at least `count` events are acknowledged.
    func waitUntil(appended count: Int) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while appended < count, failure == nil, Date() < deadline { usleep(10_000) }
        return appended >= count
    }

    func stop() {
        state.withLock { $0.stopping = true }
        while !state.withLock({ $0.stopped }) { usleep(10_000) }
    }

    private func run(socket: String) {
        defer { state.withLock { $0.stopped = true } }
        do {
            let client = try LineClient(path: socket)
            var batch = 0
            while !state.withLock({ $0.stopping }) {
                let events = (0..<25).map { index in
                    #"{"id":"\#(uuid(100_000 + batch * 25 + index))","type":"x-load","data":{"batch":\#(batch)}}"#
                }
                let reply = try client.request("APPEND load any [\(events.joined(separator: ","))]")
                guard reply.hasPrefix("OK ") else {
                    state.withLock { $0.failure = reply }
                    return
                }
                state.withLock { $0.appended += 25 }
                batch += 1
            }
        } catch {
            state.withLock { $0.failure = "\(error)" }
        }
    }
}
