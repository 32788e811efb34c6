import Foundation
import LedgerProofs
import LedgerTestSupport
import Testing

@Suite("ledgerctl prove, checkpoint and audit", .serialized)
struct AuditTests {
    /// Appends `count` events to `stream` (extension types, ids from `first` on).
    static func append(_ daemon: DaemonProcess, stream: String, count: Int, first: Int) throws {
        let lines = (first..<(first + count)).map { eventLine($0, type: "x-note", data: #"{"n":\#($0)}"#) }
        let file = try writeFile(lines.joined(separator: "\n"), named: "events.ndjson", in: daemon.directory.path)
        let outcome = try LedgerctlProcess.run(["append", stream, file], socket: daemon.socketPath)
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    /// Registers commissioner LA1 and creates case `id` with its `need-assessed` (ids `first` and `first + 1`), so
    /// that notes can go on the case's stream: an extension event needs its entity to exist.
    static func openCase(_ daemon: DaemonProcess, _ id: String, first: Int) throws {
        let registration = eventLine(
            first,
            type: "commissioner-registered",
            data: #"{"name":"Anytown Borough Council","kind":"local-authority"}"#
        )
        let need = eventLine(
            first + 1,
            type: "need-assessed",
            data: #"{"personRef":"pr-\#(id)","commissioner":"LA1","outcomes":[],"preferences":[]}"#
        )
        for (stream, line) in [("commissioner-LA1", registration), ("case-\(id)", need)] {
            let file = try writeFile(line, named: "opening.ndjson", in: daemon.directory.path)
            let outcome = try LedgerctlProcess.run(["append", stream, file], socket: daemon.socketPath)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
    }

    /// A daemon signing with a fresh key named `ledger.test/audit`, holding events 1-6: commissioner LA1, case 7's
    /// `need-assessed` and two notes on it (three events in case-7, from position 2), and two notes in `other`.
    static func signingDaemon() throws -> (DaemonProcess, (keyFile: String, config: String, publicKey: String)) {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/audit")
        try daemon.start(["--config", signing.config])
        try openCase(daemon, "7", first: 1)
        try append(daemon, stream: "case-7", count: 2, first: 3)
        try append(daemon, stream: "other", count: 2, first: 5)
        return (daemon, signing)
    }

    @Test("prove checks an event's inclusion here and fails for a position past the head", .timeLimit(.minutes(1)))
    func prove() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        try Self.append(daemon, stream: "s", count: 9, first: 1)
        let proved = try LedgerctlProcess.run(["prove", "4"], socket: daemon.socketPath)
        #expect(proved.status == 0, "\(proved.stderr)")
        #expect(
            proved.lines.first
                == "OK event 4 (s v4) is leaf 3 of the tree of size 9, by the daemon's root alone: not checked against "
                + "a signature (give --key)"
        )
        let older = try LedgerctlProcess.run(["prove", "3", "--size", "5"], socket: daemon.socketPath)
        #expect(older.status == 0 && older.lines.first?.contains("of the tree of size 5,") == true, "\(older.stderr)")
        let missing = try LedgerctlProcess.run(["prove", "10"], socket: daemon.socketPath)
        #expect(missing.status == 1 && missing.stderr.contains("NOT_FOUND"))
    }

    @Test(
        "prove --key checks against a signed checkpoint: the head's, or a signed size; unsigned sizes and other keys fail",
        .timeLimit(.minutes(1))
    )
    func proveSigned() throws {
        let (daemon, signing) = try Self.signingDaemon()
        defer { daemon.stop() }
        let signed = try LedgerctlProcess.run(["prove", "2", "--key", signing.publicKey], socket: daemon.socketPath)
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(
            signed.lines.first
                == "OK event 2 (case-7 v1) is leaf 1 of the tree of size 6, signed by ledger.test/audit (key ledger.test/audit)"
        )
        let atSix = try LedgerctlProcess.run(
            ["prove", "2", "--size", "6", "--key", signing.keyFile + ".pub"],
            socket: daemon.socketPath
        )
        #expect(atSix.status == 0, "\(atSix.stderr)")
        let unsigned = try LedgerctlProcess.run(
            ["prove", "2", "--size", "4", "--key", signing.publicKey],
            socket: daemon.socketPath
        )
        #expect(
            unsigned.status == 1 && unsigned.stderr.contains("no checkpoint of size 4 was signed"),
            "\(unsigned.stderr)"
        )
        let otherKey = try KeyFile.generate(name: "ledger.test/audit").publicKey
        let wrong = try LedgerctlProcess.run(["prove", "2", "--key", otherKey], socket: daemon.socketPath)
        #expect(wrong.status == 1 && wrong.stderr.contains("does not verify with the key"), "\(wrong.stderr)")
    }

    @Test("checkpoint prints and saves the signed note; audit passes on an honest log", .timeLimit(.minutes(1)))
    func honestAudit() throws {
        let (daemon, signing) = try Self.signingDaemon()
        defer { daemon.stop() }
        let trusted = daemon.directory.appending("trusted.note")
        let saved = try LedgerctlProcess.run(["checkpoint", "--out", trusted], socket: daemon.socketPath)
        #expect(saved.status == 0, "\(saved.stderr)")
        let note = try String(contentsOfFile: trusted, encoding: .utf8)
        let checkpoint = try Checkpoint(verifying: note, with: try NoteVerifier(parsing: signing.publicKey))
        #expect(checkpoint.size == 6 && checkpoint.origin == "ledger.test/audit")
        #expect(try LedgerctlProcess.run(["checkpoint", "--size", "6"], socket: daemon.socketPath).stdout == note)

        try Self.append(daemon, stream: "case-7", count: 2, first: 7)
        let audited = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", signing.keyFile + ".pub", "--case", "7"],
            socket: daemon.socketPath
        )
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(
            audited.lines == [
                "OK checkpoint of size 8 signed by ledger.test/audit",
                "OK consistent with the trusted checkpoint of size 6",
                "OK 5 events of case 7 in 1 stream (case-7) are in the checkpoint",
                "audit passed: ledger.test/audit at size 8 root \(audited.lines.last?.split(separator: " ").last ?? "")",
            ]
        )
        // The key as text works too; another key does not.
        let byText = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", signing.publicKey],
            socket: daemon.socketPath
        )
        #expect(byText.status == 0, "\(byText.stderr)")
        let otherKey = try KeyFile.generate(name: "ledger.test/audit").publicKey
        let wrongKey = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", otherKey],
            socket: daemon.socketPath
        )
        #expect(wrongKey.status == 1 && wrongKey.stderr.contains("does not verify"), "\(wrongKey.stderr)")
        // A key that is neither a key nor a readable file is one sentence, never a debug dump of an error value.
        for key in ["not-a-key", daemon.directory.appending("missing.pub")] {
            let badKey = try LedgerctlProcess.run(
                ["audit", "--trusted", trusted, "--key", key],
                socket: daemon.socketPath
            )
            #expect(badKey.status == 2, "\(badKey.stderr)")
            #expect(badKey.stderr.hasPrefix("ledgerctl: --key is neither a verifier key nor a file holding one: "))
            #expect(
                !badKey.stderr.contains("CommandFailure") && !badKey.stderr.contains("exitCode"),
                "\(badKey.stderr)"
            )
        }
        let noCase = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", signing.publicKey, "--case", "99"],
            socket: daemon.socketPath
        )
        #expect(noCase.status == 1 && noCase.stderr.contains("case 99 has no events"), "\(noCase.stderr)")
    }

    @Test(
        "audit --case verifies the case's whole decision trail, as history lists it; --save keeps the checkpoint",
        .timeLimit(.minutes(2))
    )
    func caseTrailAndSave() throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/audit")
        try daemon.start(["--config", signing.config])
        defer { daemon.stop() }
        let demo = try LedgerctlProcess.run(["demo", "--cases", "3"], socket: daemon.socketPath)
        #expect(demo.status == 0, "\(demo.stderr)")
        let line = try #require(demo.lines.first { $0.hasPrefix("  ledgerctl history case ") })
        let caseID = try #require(line.split(separator: " ").dropFirst(3).first.map(String.init))
        let trusted = daemon.directory.appending("trusted.note")
        #expect(try LedgerctlProcess.run(["checkpoint", "--out", trusted], socket: daemon.socketPath).status == 0)
        let history = try LedgerctlProcess.run(["history", "case", caseID, "--json"], socket: daemon.socketPath)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        let rows = try #require(answer["rows"] as? [Any]).count
        #expect(rows > 3, "\(history.stdout.prefix(300))")

        let saved = daemon.directory.appending("next.note")
        let audited = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", signing.publicKey, "--case", caseID, "--save", saved],
            socket: daemon.socketPath
        )
        #expect(audited.status == 0, "\(audited.stderr)")
        let trail = try #require(audited.lines.first { $0.hasPrefix("OK ") && $0.contains(" events of case ") })
        let count = try #require(Int(trail.split(separator: " ")[1]))
        #expect(count >= rows, "\(trail) against \(rows) history entries")
        #expect(trail.contains("case-\(caseID)") && trail.contains("contract-"), "\(trail)")
        #expect(audited.lines.contains { $0.hasPrefix("saved the checkpoint of size ") })
        let again = try LedgerctlProcess.run(
            ["audit", "--trusted", saved, "--key", signing.publicKey],
            socket: daemon.socketPath
        )
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test("a rewritten history with the tree recomputed and re-signed fails the audit", .timeLimit(.minutes(1)))
    func rewrittenHistory() throws {
        let (original, signing) = try Self.signingDaemon()
        let trusted = original.directory.appending("trusted.note")
        #expect(try LedgerctlProcess.run(["checkpoint", "--out", trusted], socket: original.socketPath).status == 0)
        let exportPath = original.directory.appending("export.ndjson")
        #expect(try LedgerctlProcess.run(["export", exportPath], socket: original.socketPath).status == 0)
        #expect(original.stop() == 0)

        // The operator changes one event of the case and replays the log into a fresh data directory, so every
        // hash and the tree are recomputed, and the daemon signs the new history with the same key.
        let exported = try String(contentsOfFile: exportPath, encoding: .utf8)
        let rewritten = exported.replacingOccurrences(of: #""data":{"n":3}"#, with: #""data":{"n":30}"#)
        #expect(rewritten != exported)
        let forged = try DaemonProcess()
        try forged.start(["--config", signing.config])
        defer { forged.stop() }
        let replay = try writeFile(rewritten, named: "rewritten.ndjson", in: forged.directory.path)
        let imported = try LedgerctlProcess.run(["import", replay], socket: forged.socketPath)
        #expect(imported.status == 0, "\(imported.stderr)")
        try Self.append(forged, stream: "case-7", count: 1, first: 50)

        let audited = try LedgerctlProcess.run(
            ["audit", "--trusted", trusted, "--key", signing.publicKey, "--case", "7"],
            socket: forged.socketPath
        )
        #expect(audited.status == 1)
        #expect(audited.lines.first == "OK checkpoint of size 7 signed by ledger.test/audit")
        #expect(audited.stderr.contains("does not extend the one of size 6 trusted ("), "\(audited.stderr)")
        #expect(audited.stderr.contains("history was rewritten or split; keep both notes as evidence"))
    }
}
