import Foundation
import LedgerTestSupport
import Testing

/// The runbook's path from `ops/install` to a monitored, backed-up service, for real: accounts on this machine, the
/// installed files in a temporary root, and the installed unit's `ExecStart` run as its user with its umask, limits
/// and sandbox where they can be had without systemd. The installed paths (/etc/ledgerd, /var/lib/ledgerd,
/// /run/ledgerd, /usr/local/bin) are the temporary root's, mounted over the real ones in a private mount namespace.
@Suite("Install rehearsal", .serialized)
struct InstallRehearsalTests {
    static let tools = ["/usr/bin/unshare", "/usr/bin/setpriv", "/usr/bin/prlimit", "/usr/bin/socat"]
    static let roleGroups = ["ledger-writers", "ledger-readers", "ledger-auditors", "ledger-ops"]

    /// Why the rehearsal cannot run here, or nil.
    static var unavailable: String? {
        if let reason = SystemAccount.unavailable { return reason }
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else { return "missing \(missing.joined(separator: ", ")) (ops/install-deps)" }
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            return "missing \(promtool) (ops/install-deps installs Debian's prometheus package)"
        }
        return nil
    }

    static let promtool = "/usr/bin/promtool"

    @Test(
        "as root: ops/install, the installed ExecStart as ledgerd, a writer and a reader by secondary group, metrics, backup, restore",
        .timeLimit(.minutes(5))
    )
    func rehearsal() async throws {
        if let reason = Self.unavailable {
            print("skipped the install rehearsal: \(reason)")
            return
        }
        var transcript = Transcript()
        let existing = Set((["ledgerd"] + Self.roleGroups).filter { getgrnam($0) != nil })
        let root = try TemporaryDirectory(prefix: "rehearsal")
        // Accounts that did not exist before are removed again, after the people who are in the groups.
        defer { Self.removeAccounts(except: existing) }
        chmod(root.path, 0o755)

        let binaries = (DaemonProcess.binary as NSString).deletingLastPathComponent
        let install = try await transcript.run(
            "/bin/bash",
            [
                "\(OpsInstallTests.repository)/ops/install", "--root", root.path, "--skip-build", "--bin-dir", binaries,
                "--origin", "rehearsal.test/ledger", "--create-accounts",
            ]
        )
        try #require(install.status == 0)
        let writer = try SystemAccount(user: "lt-writer-\(getpid() % 100_000)", groups: ["ledger-writers"])
        defer { writer.remove() }
        let reader = try SystemAccount(user: "lt-reader-\(getpid() % 100_000)", groups: ["ledger-readers"])
        defer { reader.remove() }
        let outsider = try SystemAccount(user: "lt-outsider-\(getpid() % 100_000)", groups: [])
        defer { outsider.remove() }

        let unit = try InstalledUnit(root.appending("etc/systemd/system/ledgerd.service"))
        #expect(unit.values("User") == ["ledgerd"] && unit.values("UMask") == ["0077"])
        let daemon = try await Self.startInstalled(unit, root: root, transcript: &transcript)
        defer { daemon.kill() }
        let socket = root.appending("run/ledgerd/ledgerd.sock")
        let ledgerctl = root.appending("usr/local/bin/ledgerctl")

        // A writer and a reader, each granted a role only by a supplementary group (usermod -aG), as the runbook says.
        let demo = try await transcript.run(as: writer, ledgerctl, ["demo", "--cases", "3", "--socket", socket])
        #expect(demo.status == 0, "\(demo.output)")
        let query = try await transcript.run(
            as: reader,
            ledgerctl,
            ["query", "market", "commissioner", "LA1", "--socket", socket]
        )
        #expect(query.status == 0, "\(query.output)")
        let readerVerifies = try await transcript.run(as: reader, ledgerctl, ["verify", "--socket", socket])
        #expect(readerVerifies.status == 1 && readerVerifies.output.contains("FORBIDDEN"), "\(readerVerifies.output)")
        for path in ["var/lib/ledgerd/data.mdb", "etc/ledgerd/checkpoint.key"] {
            let copy = try await transcript.run(as: reader, "/bin/cat", [root.appending(path)], echo: false)
            #expect(copy.status != 0 && copy.output.contains("Permission denied"), "\(path): \(copy.output)")
        }
        let outside = try await transcript.run(as: outsider, ledgerctl, ["ping", "--socket", socket])
        #expect(outside.status == 3, "a user in no role group cannot connect: \(outside.output)")

        // Monitoring: METRICS over the socket, the HTTP endpoint and node_exporter's textfile, each through promtool.
        let service = try #require(getpwnam("ledgerd")).pointee
        let metrics = try await Program.run(
            "/usr/bin/setpriv",
            [
                "--reuid=\(service.pw_uid)", "--regid=\(service.pw_gid)", "--init-groups", ledgerctl, "metrics",
                "--socket", socket,
            ],
            withStandardError: false
        )
        #expect(metrics.status == 0)
        try await transcript.promtool(metrics.output, from: "ledgerctl metrics")
        let scrape = try await Self.httpGet("/metrics", port: 9464)
        #expect(scrape.hasPrefix("HTTP/1.1 200"), "\(scrape.prefix(200))")
        try await transcript.promtool(Self.body(scrape), from: "GET http://127.0.0.1:9464/metrics")
        let health = try await Self.httpGet("/healthz", port: 9464)
        transcript.note("GET /healthz: \(Self.body(health))")
        #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
        let textfile = root.appending("var/lib/prometheus/node-exporter/ledgerd.prom")
        #expect(try OpsInstallTests.mode(textfile) == 0o644)
        try await transcript.promtool(String(contentsOfFile: textfile, encoding: .utf8), from: textfile)

        let rules = try await transcript.run(
            Self.promtool,
            ["check", "rules", root.appending("usr/local/share/doc/ledgerd/ledgerd-alerts.yml")]
        )
        #expect(rules.status == 0 && rules.output.contains("SUCCESS"), "\(rules.output)")

        // The nightly backup: the backup unit's own commands, as its user, then a restore into a new directory.
        let backupUnit = try InstalledUnit(root.appending("etc/systemd/system/ledgerd-backup.service"))
        for key in ["ExecStart", "ExecStartPost"] {
            for command in backupUnit.values(key) {
                let outcome = try await transcript.run(inInstalled: root, as: "ledgerd", command)
                #expect(outcome.status == 0, "\(key): \(outcome.output)")
            }
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: root.appending("var/backups/ledgerd"))
            .filter { $0.hasPrefix("auto-") }
        let backup = root.appending("var/backups/ledgerd/\(try #require(backups.first))")
        let manifest = try OpsInstallTests.json(at: backup + "/manifest.json")
        let merkleRoot = try #require(manifest["root"] as? String)
        let restored = try DaemonProcess(executable: root.appending("usr/local/bin/ledgerd"))
        let restore = try await transcript.run(ledgerctl, ["restore", backup, restored.dataDirectory])
        #expect(restore.status == 0)
        try restored.start()
        let verify = try await transcript.run(ledgerctl, ["verify", "--socket", restored.socketPath])
        restored.stop()
        #expect(verify.status == 0 && verify.output.contains(merkleRoot), "\(verify.output)")

        let status = await daemon.stop()
        #expect(status == 0, "ledgerd exited \(String(describing: status))")
        let levels = ["warning", "error", "critical"].map { #""level":"\#($0)""# }
        let warnings = daemon.log.split(separator: "\n").filter { line in
            levels.contains { line.contains($0) }
                && !(Self.hardLimit(__RLIMIT_NICE) < 30 && line.contains("cannot set the writer thread's nice value"))
        }
        #expect(warnings.isEmpty, "the installed daemon logged: \(warnings)")
        print(transcript.text)
    }

    /// Starts the unit's `ExecStart` as its `User=` with its `UMask=`, `LimitNOFILE=` and `LimitNICE=`, no
    /// capabilities, no new privileges, `/proc` as `ProtectProc=invisible` and `ProcSubset=pid` show it and, where
    /// python3 can set it, `MemoryDenyWriteExecute=` (the kernel's PR_SET_MDWE).
    static func startInstalled(
        _ unit: InstalledUnit,
        root: TemporaryDirectory,
        transcript: inout Transcript
    ) async throws -> InstalledDaemon {
        let execStart = try #require(unit.values("ExecStart").first).split(separator: " ").map(String.init)
        let user = try #require(unit.values("User").first)
        let nice = try #require(unit.values("LimitNICE").first.flatMap { Int($0) })
        // LimitNOFILE= and LimitNICE=, unless this machine's hard limits are lower (a container without
        // CAP_SYS_RESOURCE, say): root may not raise them then.
        let unitFiles = try #require(unit.values("LimitNOFILE").first.flatMap { UInt($0) })
        let files = min(unitFiles, hardLimit(RLIMIT_NOFILE))
        if files < unitFiles {
            transcript.note("LimitNOFILE=\(unitFiles) lowered to this machine's hard limit, \(files)")
        }
        let niceLimit = min(UInt(20 - nice), hardLimit(__RLIMIT_NICE))
        if niceLimit < 20 - nice {
            transcript.note("LimitNICE=\(nice) not applied: this machine's hard limit allows \(20 - Int(niceLimit))")
        }
        var command = [
            "/usr/bin/prlimit", "--nofile=\(files)", "--nice=\(niceLimit)",
            "/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--init-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all",
        ]
        if unit.values("MemoryDenyWriteExecute") == ["yes"], let python = Self.python {
            let wrapper = root.appending("mdwe.py")
            try Self.mdwe.write(toFile: wrapper, atomically: true, encoding: .utf8)
            command += [python, wrapper]
        } else {
            transcript.note("MemoryDenyWriteExecute not applied: no python3 to set PR_SET_MDWE")
        }
        let script = Self.mounts + "\numask \(try #require(unit.values("UMask").first))\nexec \"$@\""
        let daemon = try InstalledDaemon(
            arguments: ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", root.path]
                + command + execStart,
            log: root.appending("ledgerd.log")
        )
        transcript.note(
            "started \(execStart.joined(separator: " ")) as \(user) (umask, limits, /proc and MDWE as the unit)"
        )
        try await daemon.waitForSocket(root.appending("run/ledgerd/ledgerd.sock"))
        return daemon
    }

    static func hardLimit(_ resource: __rlimit_resource) -> UInt {
        var limit = rlimit()
        getrlimit(Int32(resource.rawValue), &limit)
        return UInt(limit.rlim_max)
    }

    /// Mounts the temporary root's installed directories over the real ones (in a private mount namespace) and
    /// `/proc` as `ProtectProc=invisible` plus `ProcSubset=pid`; `$1` is the root.
    static let mounts = """
        set -e
        root="$1"; shift
        mount --bind "$root/run" /run
        mount --bind "$root/var" /var
        mount -t overlay overlay -o "lowerdir=$root/etc:/etc" /etc
        mount -t overlay overlay -o "lowerdir=$root/usr/local:/usr/local" /usr/local
        mount -t proc -o subset=pid,hidepid=invisible proc /proc
        """

    /// Sets PR_SET_MDWE (refuse memory that is or becomes both writable and executable), then runs its arguments.
    static let mdwe = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(65, 1, 0, 0, 0) != 0:
            sys.exit("prctl(PR_SET_MDWE): errno %d" % ctypes.get_errno())
        os.execv(sys.argv[1], sys.argv[1:])
        """

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// One HTTP/1.1 request to the loopback port through socat; the whole response.
    static func httpGet(_ path: String, port: Int) async throws -> String {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let outcome = try await Program.run(
            "/bin/sh",
            ["-c", "printf '\(request)' | socat -t 5 - TCP:127.0.0.1:\(port)"]
        )
        return outcome.output
    }

    static func body(_ response: String) -> String {
        guard let end = response.range(of: "\r\n\r\n") else { return "" }
        return String(response[end.upperBound...])
    }

    /// Removes the service user and role groups that ops/install created for the rehearsal.
    static func removeAccounts(except existing: Set<String>) {
        if !existing.contains("ledgerd"), getpwnam("ledgerd") != nil {
            _ = try? Program.run("/usr/sbin/userdel", ["ledgerd"])
        }
        for group in ["ledgerd"] + roleGroups where !existing.contains(group) && getgrnam(group) != nil {
            _ = try? Program.run("/usr/sbin/groupdel", [group])
        }
    }
}

/// The values of a systemd unit file's keys (`%%` unescaped), in file order.
struct InstalledUnit {
    let lines: [String]

    init(_ path: String) throws {
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func values(_ key: String) -> [String] {
        lines.filter { $0.hasPrefix(key + "=") }.map {
            String($0.dropFirst(key.count + 1)).replacingOccurrences(of: "%%", with: "%")
        }
    }
}

/// The installed daemon, started through `unshare`, `prlimit` and `setpriv`, each of which execs the next, so the
/// process is ledgerd itself by the time it serves.
final class InstalledDaemon {
    let process = Process()
    let logPath: String

    init(arguments: [String], log: String) throws {
        logPath = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = arguments
        let output = FileHandle(forWritingAtPath: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    func waitForSocket(_ path: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            var info = stat()
            if lstat(path, &info) == 0, (try? LineClient(path: path)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LineClient.Failure(description: "the installed ledgerd did not serve on \(path): \(log)")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then its exit status (nil when it had to be killed).
    func stop() async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard !process.isRunning else {
            kill()
            return nil
        }
        return process.terminationStatus
    }

    /// SIGKILL, if it still runs (a test that failed part-way).
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// What the rehearsal ran and saw, printed at the end (the runbook's commands as an operator would see them).
struct Transcript {
    private(set) var text = "--- install rehearsal ---\n"

    mutating func note(_ line: String) {
        text += "# \(line)\n"
    }

    /// Runs a program as root; records the command and its output.
    mutating func run(
        _ executable: String,
        _ arguments: [String],
        echo: Bool = true
    ) async throws -> Program.Outcome {
        let outcome = try await Program.run(executable, arguments)
        record(([executable] + arguments).joined(separator: " "), outcome, echo: echo)
        return outcome
    }

    /// Runs a program as `account`, in the groups the system's databases give it (as a login would).
    mutating func run(
        as account: SystemAccount,
        _ executable: String,
        _ arguments: [String],
        echo: Bool = true
    ) async throws -> Program.Outcome {
        let outcome = try await Program.run(
            "/usr/bin/setpriv",
            ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups", executable] + arguments
        )
        record("[\(account.user)] " + ([executable] + arguments).joined(separator: " "), outcome, echo: echo)
        return outcome
    }

    /// Runs a unit's command line (shell quoting, as systemd's) as `user`, with the installed paths mounted.
    mutating func run(
        inInstalled root: TemporaryDirectory,
        as user: String,
        _ command: String
    ) async throws -> Program.Outcome {
        let script =
            InstallRehearsalTests.mounts
            + "\nexec setpriv --reuid=\(user) --regid=\(user) --init-groups /bin/sh -c \"$1\""
        let outcome = try await Program.run(
            "/usr/bin/unshare",
            ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", root.path, command]
        )
        record("[\(user)] \(command)", outcome, echo: true)
        return outcome
    }

    /// Checks Prometheus text with `promtool check metrics` (exit 0 and nothing said).
    mutating func promtool(_ text: String, from source: String) async throws {
        let directory = try TemporaryDirectory(prefix: "promtool")
        let file = directory.appending("metrics.prom")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(text.contains("# TYPE ledger_head_position gauge"), "\(source) holds no metrics: \(text.prefix(200))")
        let outcome = try await Program.run(
            "/bin/sh",
            ["-c", "\(InstallRehearsalTests.promtool) check metrics < \(file)"]
        )
        record("promtool check metrics < (\(source))", outcome, echo: true)
        #expect(outcome.status == 0 && outcome.output.isEmpty, "\(source): \(outcome.output)")
    }

    private mutating func record(_ command: String, _ outcome: Program.Outcome, echo: Bool) {
        text += "$ \(command)\n"
        if echo {
            let lines = outcome.output.split(separator: "\n")
            for line in lines.prefix(12) { text += "  \(line)\n" }
            if lines.count > 12 { text += "  ... (\(lines.count - 12) more lines)\n" }
        }
        text += "  [exit \(outcome.status)]\n"
    }
}
