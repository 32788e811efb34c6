import Foundation
import LedgerTestSupport
import Testing

/// Runs clients under other uids (with `setpriv`, as root) and checks each role's permissions end to end.
@Suite("Roles from SO_PEERCRED", .serialized)
struct RoleTests {
    static let canSwitchUsers =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/socat")

    /// uids used for the peers; they need no passwd entry.
    static let uids: [String: UInt32] = ["reader": 61001, "writer": 61002, "auditor": 61003, "ops": 61004]
    static let unmapped: UInt32 = 61009
    static let groupMapped: UInt32 = 61010
    static let auditorsGroup: UInt32 = 62000

    @Test(
        "users and groups with a role reach the socket without its group; each role may use exactly its commands; unmapped peers only PING, HELLO and QUIT",
        .enabled(if: canSwitchUsers, "needs root, /usr/bin/setpriv and /usr/bin/socat"),
        .timeLimit(.minutes(2))
    )
    func rolePermissions() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("roles.json")
        let users = Self.uids.map { "\"\($0.value)\":\"\($0.key)\"" }.joined(separator: ",")
        try #"{"roles":{"users":{\#(users)},"groups":{"\#(Self.auditorsGroup)":"auditor"}}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        _ = try daemon.connect().request(
            #"APPEND seed any {"id":"0190f3a0-7c1e-7d2a-9b41-000000000001","type":"x-t","data":{}}"#
        )

        let append = #"APPEND r any {"id":"0190f3a0-7c1e-7d2a-9b41-00000000%04d","type":"x-t","data":{}}"#
        let probes: [(String, (String) -> Bool)] = [
            ("PING", { $0 == "PONG" }),
            ("STATUS", { $0.hasPrefix("OK ") }),
            ("READ seed", { $0 == #"END {"count":1,"next":2}"# }),
            ("VERIFY", { $0.hasPrefix("OK ") }),
            ("QUERY market commissioner LA1", { $0 == #"ERR NOT_FOUND {"message":"no commissioner LA1"}"# }),
            ("PROVE 1", { $0.hasPrefix("OK ") }),
            ("CHECKPOINT", { $0.hasPrefix("OK ") }),
            ("REBUILD commissioning", { $0.hasPrefix("OK ") }),
            ("METRICS", { $0.hasPrefix("OK ") }),
            ("BACKUP by-ops", { $0.hasPrefix("OK ") }),
        ]
        let expectations: [String: [Bool]] = [
            // STATUS, READ, VERIFY, QUERY, PROVE, CHECKPOINT, REBUILD, METRICS, BACKUP, APPEND
            "reader": [true, false, false, true, false, false, false, false, false, false],
            "writer": [true, true, false, true, false, false, false, false, false, true],
            "auditor": [true, true, true, true, true, true, false, false, false, false],
            "ops": [true, true, true, true, true, true, true, true, true, true],
        ]
        for (role, uid) in Self.uids.sorted(by: { $0.value < $1.value }) {
            let lines = try Self.run(
                uid: uid,
                gid: uid,
                socket: daemon.socketPath,
                requests: probes.map(\.0) + [String(format: append, Int(uid) % 10_000), "HELLO"],
                inSocketGroup: false
            )
            #expect(lines.count == probes.count + 2, "\(role): \(lines)")
            guard lines.count == probes.count + 2 else { continue }
            #expect(probes[0].1(lines[0]), "\(role) PING: \(lines[0])")
            let allowed = try #require(expectations[role])
            for (index, probe) in probes.dropFirst().enumerated() {
                let line = lines[index + 1]
                if allowed[index] {
                    #expect(probe.1(line), "\(role) \(probe.0): \(line)")
                } else {
                    #expect(line.hasPrefix("ERR FORBIDDEN"), "\(role) \(probe.0): \(line)")
                }
            }
            let appended = lines[probes.count]
            #expect(
                appended.hasPrefix(allowed[probes.count - 1] ? "OK " : "ERR FORBIDDEN"),
                "\(role) APPEND: \(appended)"
            )
            #expect(lines[probes.count + 1].contains(#""role":"\#(role)""#), "\(role) HELLO: \(lines.last ?? "")")
        }

        let unmapped = try Self.run(
            uid: Self.unmapped,
            gid: Self.unmapped,
            socket: daemon.socketPath,
            requests: ["PING", "HELLO", "STATUS", "FROB"]
        )
        #expect(unmapped.count == 4)
        #expect(unmapped.first == "PONG")
        #expect(unmapped.dropFirst().first?.contains(#""role":null"#) == true)
        #expect(
            unmapped.dropFirst().first?.contains(#""maxConnectionsPerUID":4"#) == true,
            "HELLO gives a uid without a role its own, smaller share"
        )
        #expect(unmapped.dropFirst(2).allSatisfy { $0.hasPrefix("ERR FORBIDDEN") }, "\(unmapped)")
        let outsider = try Self.run(
            uid: Self.unmapped,
            gid: Self.unmapped,
            socket: daemon.socketPath,
            requests: ["PING"],
            inSocketGroup: false
        )
        #expect(outsider.isEmpty, "the access list lets in the users and groups of roles only: \(outsider)")

        let byGroup = try Self.run(
            uid: Self.groupMapped,
            gid: Self.auditorsGroup,
            socket: daemon.socketPath,
            requests: ["HELLO", "VERIFY"],
            inSocketGroup: false
        )
        #expect(byGroup.first?.contains(#""role":"auditor""#) == true)
        #expect(byGroup.last?.hasPrefix("OK ") == true)
    }

    @Test(
        "with the default mode 0660, a peer outside the socket's group cannot connect at all",
        .enabled(if: canSwitchUsers, "needs root, /usr/bin/setpriv and /usr/bin/socat"),
        .timeLimit(.minutes(1))
    )
    func defaultModeKeepsOthersOut() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let lines = try Self.run(
            uid: Self.unmapped,
            gid: Self.unmapped,
            socket: daemon.socketPath,
            requests: ["PING"],
            inSocketGroup: false
        )
        #expect(lines.isEmpty)
    }

    @Test(
        "a user whose role group is only a supplementary group reaches the socket and gets that role; among its groups the most privileged wins",
        .enabled(if: canSwitchUsers, "needs root, /usr/bin/setpriv and /usr/bin/socat"),
        .timeLimit(.minutes(2))
    )
    func supplementaryGroups() throws {
        if let reason = SystemAccount.unavailable {
            print("skipped: cannot make throwaway users and groups: \(reason)")
            return
        }
        let tag = "\(getpid() % 100_000)"
        let readers = "lt-readers-\(tag)"
        let auditors = "lt-auditors-\(tag)"
        // As an operator grants access: `useradd` gives each its own primary group, `usermod -aG` adds the rest.
        let alice = try SystemAccount(user: "lt-alice-\(tag)", groups: [readers, auditors])
        defer { alice.remove() }
        // Bob's account is removed first (defers run in reverse), then alice's with the groups it created.
        let bob = try SystemAccount(user: "lt-bob-\(tag)", groups: [readers])
        defer { bob.remove() }
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("roles.json")
        try #"{"roles":{"groups":{"\#(readers)":"reader","\#(auditors)":"auditor"}}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }

        // Neither is in the socket's group: the socket's access list lets the role groups in. SO_PEERCRED reports the
        // primary group, which maps to nothing: the roles come from the user's other groups.
        let asAlice = try Self.run(
            uid: alice.uid,
            gid: alice.gid,
            socket: daemon.socketPath,
            requests: ["HELLO", "VERIFY"],
            inSocketGroup: false,
            supplementaryGroups: Array(alice.groups.values)
        )
        #expect(asAlice.first?.contains(#""role":"auditor""#) == true, "\(asAlice)")
        #expect(asAlice.last?.hasPrefix("OK ") == true, "\(asAlice)")
        let asBob = try Self.run(
            uid: bob.uid,
            gid: bob.gid,
            socket: daemon.socketPath,
            requests: ["HELLO", "QUERY market commissioner LA1", "VERIFY"],
            inSocketGroup: false,
            supplementaryGroups: Array(bob.groups.values)
        )
        #expect(asBob.first?.contains(#""role":"reader""#) == true, "\(asBob)")
        #expect(asBob.dropFirst().first?.hasPrefix("ERR NOT_FOUND") == true, "\(asBob)")
        #expect(asBob.last?.hasPrefix("ERR FORBIDDEN") == true, "\(asBob)")
    }

    /// Sends `requests` as uid/gid through socat and returns the reply lines. The peer is also a member of
    /// `supplementaryGroups` and, unless `inSocketGroup` is false, of the socket's group (root's, 0); SO_PEERCRED still
    /// reports `gid`.
    static func run(
        uid: UInt32,
        gid: UInt32,
        socket: String,
        requests: [String],
        inSocketGroup: Bool = true,
        supplementaryGroups: [UInt32] = []
    ) throws -> [String] {
        let groups = ((inSocketGroup ? [0] : []) + supplementaryGroups).map(String.init).joined(separator: ",")
        let run = try Program.run(
            "/usr/bin/setpriv",
            [
                "--reuid=\(uid)", "--regid=\(gid)", groups.isEmpty ? "--clear-groups" : "--groups=\(groups)",
                "/usr/bin/socat", "-t", "5", "-", "UNIX-CONNECT:\(socket)",
            ],
            withStandardError: false,
            input: requests.joined(separator: "\n") + "\nQUIT\n"
        )
        // EVENT lines are dropped: each request is then answered by exactly one line.
        let lines = run.lines.filter { !$0.hasPrefix("EVENT ") }
        return lines.last == "OK {}" ? Array(lines.dropLast()) : lines
    }
}
