import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl failure paths")
struct FailureTests {
    static let canSwitchUsers =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test("every command exits 3 with one line on stderr when ledgerd is not running", .timeLimit(.minutes(1)))
    func daemonNotRunning() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.appending("ledgerd.sock")
        let file = try writeFile(eventLine(1) + "\n", named: "one.ndjson", in: directory.path)
        for arguments in [
            ["ping"], ["status"], ["append", "s", file], ["read", "s"], ["tail"], ["verify"], ["export"],
            ["import", file],
        ] {
            let outcome = try LedgerctlProcess.run(arguments, socket: socket)
            #expect(outcome.status == 3, "\(arguments): \(outcome.stderr)")
            #expect(
                outcome.stderr == "ledgerctl: cannot connect to \(socket): No such file or directory "
                    + "(is ledgerd running? set --socket or LEDGER_SOCKET)\n",
                "\(arguments)"
            )
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test("a bad line exits 1 naming the line and what was already committed", .timeLimit(.minutes(1)))
    func badLine() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let socket = daemon.socketPath

        // Line 4 is not JSON: lines 1-2 went in as a batch, line 3 was waiting in the next one.
        let lines = [eventLine(1), eventLine(2), eventLine(3), #"{"id":"#, eventLine(5)]
        let file = try writeFile(lines.joined(separator: "\n"), named: "bad-json.ndjson", in: daemon.directory.path)
        let outcome = try LedgerctlProcess.run(["append", "s", "--batch-size", "2", file], socket: socket)
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr
                == "ledgerctl: \(file) line 4: invalid JSON: unexpected end of input at byte 6; 2 events up to line 2 "
                + "were already committed (positions 1-2), none after\n"
        )

        // Line 3 (after a blank line) has an id the server refuses: the wire error names the event, and so the line.
        let invalid = [eventLine(11), "", #"{"id":"nope","type":"x-t","data":{}}"#, eventLine(12)]
        let second = try writeFile(invalid.joined(separator: "\n"), named: "bad-id.ndjson", in: daemon.directory.path)
        let refused = try LedgerctlProcess.run(["append", "t", second], socket: socket)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("ledgerctl: \(second) line 3: INVALID_EVENT: event 1: id: must be a UUID"))
        #expect(refused.stderr.hasSuffix("; no events were committed, none after\n"))

        // In a JSON array, the line is where the element starts.
        let array = "[\n  " + eventLine(21) + ",\n  {\"id\": \"x\",\n   \"type\": 5}\n]\n"
        let third = try writeFile(array, named: "array.json", in: daemon.directory.path)
        let typed = try LedgerctlProcess.run(["append", "u", third], socket: socket)
        #expect(typed.status == 1)
        #expect(typed.stderr.hasPrefix("ledgerctl: \(third) line 3: INVALID_EVENT: event 1: type"))
    }

    @Test("a version conflict exits 1 with the wire error", .timeLimit(.minutes(1)))
    func versionConflict() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let file = try writeFile(eventLine(1) + "\n", named: "one.ndjson", in: daemon.directory.path)
        #expect(try LedgerctlProcess.run(["append", "s", file], socket: daemon.socketPath).status == 0)
        let other = try writeFile(eventLine(2) + "\n", named: "two.ndjson", in: daemon.directory.path)
        let conflict = try LedgerctlProcess.run(
            ["append", "s", "--expected", "none", other],
            socket: daemon.socketPath
        )
        #expect(conflict.status == 1)
        #expect(
            conflict.stderr
                == "ledgerctl: \(other) line 1 (the batch of lines 1-1): WRONG_EXPECTED_VERSION: stream s is at "
                + "version 1, expected none; no events were committed, none after\n"
        )
    }

    @Test(
        "a role that may not append or read exits 1 with FORBIDDEN",
        .enabled(if: canSwitchUsers, "needs root and /usr/bin/setpriv"),
        .timeLimit(.minutes(1))
    )
    func forbiddenRole() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("roles.json")
        try #"{"roles":{"users":{"61001":"reader"}}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }

        let append = try LedgerctlProcess.run(
            ["append", "s", "-"],
            socket: daemon.socketPath,
            input: eventLine(1),
            uid: 61001
        )
        #expect(append.status == 1)
        #expect(
            append.stderr.contains("line 1 (the batch of lines 1-1): FORBIDDEN: the reader role may not use APPEND")
        )
        let read = try LedgerctlProcess.run(["read", "s"], socket: daemon.socketPath, uid: 61001)
        #expect(read.status == 1)
        #expect(read.stderr == "ledgerctl: FORBIDDEN: the reader role may not use READ\n")
        let status = try LedgerctlProcess.run(["status"], socket: daemon.socketPath, uid: 61001)
        #expect(status.status == 0)
    }

    @Test("verify exits 1 naming the first tampered position", .timeLimit(.minutes(1)))
    func tampered() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let lines = (1...20).map { eventLine($0, data: $0 == 13 ? #"{"note":"tamper-me"}"# : #"{"note":"fine"}"#) }
        let file = try writeFile(lines.joined(separator: "\n"), named: "events.ndjson", in: daemon.directory.path)
        #expect(try LedgerctlProcess.run(["append", "s", file], socket: daemon.socketPath).status == 0)
        #expect(daemon.stop() == 0)

        let dataFile = daemon.dataDirectory + "/data.mdb"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        var searchFrom = bytes.startIndex
        while let range = bytes.range(of: Data("tamper-me".utf8), in: searchFrom..<bytes.endIndex) {
            bytes[range.lowerBound] ^= 0x20
            searchFrom = range.upperBound
        }
        try bytes.write(to: URL(fileURLWithPath: dataFile))
        try daemon.start()
        defer { daemon.stop() }

        let verify = try LedgerctlProcess.run(["verify"], socket: daemon.socketPath)
        #expect(verify.status == 1)
        #expect(verify.stderr.hasPrefix("ledgerctl: INTEGRITY: "), "\(verify.stderr)")
        #expect(verify.stderr.contains("13"))
        #expect(verify.stdout.isEmpty)
        let sliced = try LedgerctlProcess.run(["verify", "--slice", "5"], socket: daemon.socketPath)
        #expect(sliced.status == 1 && sliced.stderr.contains("13"), "the third slice finds it: \(sliced.stderr)")
    }
}
