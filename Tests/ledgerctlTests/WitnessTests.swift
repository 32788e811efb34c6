import Foundation
import LedgerProofs
import LedgerTestSupport
import Testing

@Suite("Witnesses: cosigned checkpoints, a split view refused, audits with a quorum")
struct WitnessTests {
    /// A log key and a witness key in `directory`, and the configuration that signs with one and accepts the other.
    private static func keys(
        in directory: TemporaryDirectory
    ) async throws -> (logKey: String, witnessKey: String, config: String) {
        let logKey = directory.appending("log.key")
        let keygen = try Keygen.run(keyFile: logKey, name: "ledger.test/witnessed")
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let witnessKey = directory.appending("witness.key")
        let witness = try await LedgerctlProcess.run(
            ["witness", "keygen", "--key-file", witnessKey, "--name", "audit.test/w1"],
            socket: nil
        )
        #expect(witness.status == 0, "\(witness.stderr)")
        #expect(witness.stdout.hasPrefix("audit.test/w1+"))
        let config = #"{"checkpoints":{"keyFile":"\#(logKey)","witnesses":["\#(witness.lines[0])"]}}"#
        return (logKey, witnessKey, config)
    }

    private static func append(_ daemon: DaemonProcess, stream: String, count: Int, tag: String) async throws {
        let client = try daemon.connect()
        for _ in 0..<count {
            let id = UUID().uuidString.lowercased()
            let reply = try client.request(
                #"APPEND \#(stream) any [{"id":"\#(id)","type":"x-note","data":{"tag":"\#(tag)"}}]"#
            )
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
    }

    private static func witness(
        _ daemon: DaemonProcess,
        _ keys: (logKey: String, witnessKey: String, config: String),
        state: String
    ) async throws -> LedgerctlProcess.Outcome {
        try await LedgerctlProcess.run(
            ["witness", "--key", keys.witnessKey, "--log-key", keys.logKey + ".pub", "--state", state, "--once"],
            socket: daemon.socketPath
        )
    }

    @Test(
        "a witness cosigns each extension; the note carries its cosignature; audit --quorum 1 passes",
        .timeLimit(.minutes(2))
    )
    func cosigns() async throws {
        let directory = try TemporaryDirectory(prefix: "witness")
        let keys = try await Self.keys(in: directory)
        let daemon = try DaemonProcess()
        try daemon.start(configuration: keys.config)
        defer { daemon.stop() }
        let state = directory.appending("state")
        try await Self.append(daemon, stream: "notes-1", count: 3, tag: "a")
        let first = try await Self.witness(daemon, keys, state: state)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("cosigned ledger.test/witnessed at size 3 root "), "\(first.stdout)")
        let trusted = directory.appending("trusted.note")
        #expect(
            try await LedgerctlProcess.run(["checkpoint", "--size", "3", "--out", trusted], socket: daemon.socketPath)
                .status
                == 0
        )

        try await Self.append(daemon, stream: "notes-1", count: 2, tag: "a")
        let second = try await Self.witness(daemon, keys, state: state)
        #expect(
            second.stdout.hasPrefix("cosigned ledger.test/witnessed at size 5 "),
            "\(second.stdout) \(second.stderr)"
        )

        // The note of size 5 carries the log's signature and the witness's cosignature, each verifying.
        let served = try daemon.connect().request("CHECKPOINT 5")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(served.dropFirst(3).utf8)) as? [String: Any]
        )
        let note = try SignedNote(parsing: try #require(json["note"] as? String))
        #expect(note.signatures.count == 2)
        let witnessKey = try CosignatureVerifier(
            parsing: try String(contentsOfFile: keys.witnessKey + ".pub", encoding: .utf8)
        )
        let time = try witnessKey.verify(note)
        #expect(abs(Int64(time) - Int64(Date().timeIntervalSince1970)) < 120)
        try note.verify(with: NoteVerifier(parsing: try String(contentsOfFile: keys.logKey + ".pub", encoding: .utf8)))

        let audit = try await LedgerctlProcess.run(
            [
                "audit", "--trusted", trusted, "--key", keys.logKey + ".pub", "--witness", keys.witnessKey + ".pub",
                "--quorum", "1",
            ],
            socket: daemon.socketPath
        )
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
        #expect(audit.stdout.contains("OK 1 of 1 witnesses cosigned it (audit.test/w1 at 20"), "\(audit.stdout)")

        // The head moves past what the witness cosigned: the audit takes the newest cosigned checkpoint it lists.
        try await Self.append(daemon, stream: "notes-2", count: 2, tag: "a")
        let listed = try daemon.connect().request("CHECKPOINTS 4")
        #expect(listed.hasPrefix(#"OK {"checkpoints":[{"note":"ledger.test/witnessed\n5\n"#), "\(listed)")
        let later = try await LedgerctlProcess.run(
            [
                "audit", "--trusted", trusted, "--key", keys.logKey + ".pub", "--witness", keys.witnessKey + ".pub",
                "--quorum", "1", "--save", directory.appending("saved.note"),
            ],
            socket: daemon.socketPath
        )
        #expect(later.status == 0, "\(later.stdout) \(later.stderr)")
        #expect(later.stdout.contains("OK the newest checkpoint with a quorum is of size 5 (the head's, of size 7,"))
        #expect(later.stdout.contains("audit passed: ledger.test/witnessed at size 5 "), "\(later.stdout)")

        // One witness counts once, however often it is named.
        let twice = try await LedgerctlProcess.run(
            [
                "audit", "--trusted", trusted, "--key", keys.logKey + ".pub", "--witness", keys.witnessKey + ".pub",
                "--witness", keys.witnessKey + ".pub", "--quorum", "2",
            ],
            socket: daemon.socketPath
        )
        #expect(twice.status == 2 && twice.stderr.contains("is given twice"), "\(twice.stderr)")

        // A cosignature that does not verify, or from a witness the ledger does not know, is refused.
        let client = try daemon.connect()
        var bytes = try #require(Data(base64Encoded: note.signatures[1].encodedSignature))
        bytes[bytes.count - 1] ^= 1
        let forged = bytes.base64EncodedString()
        let refused = try client.request("COSIGN 5 audit.test/w1 \(forged)")
        #expect(refused.hasPrefix("ERR BAD_REQUEST ") && refused.contains("does not verify"), "\(refused)")
        // A line under another key id is refused before anything else, and the note keeps one line per witness.
        var otherID = try #require(Data(base64Encoded: note.signatures[1].encodedSignature))
        otherID[0] ^= 1
        let wrongID = try client.request("COSIGN 5 audit.test/w1 \(otherID.base64EncodedString())")
        #expect(wrongID.contains("the cosignature's key id is not audit.test/w1's"), "\(wrongID)")
        let after = try client.request("CHECKPOINT 5")
        #expect(after.components(separatedBy: "\u{2014} audit.test/w1 ").count == 2, "\(after)")
        #expect(try client.request("COSIGN 5 stranger.test/w9 \(forged)").contains("is not a witness of this ledger"))
        #expect(try client.request("COSIGN 4 audit.test/w1 \(note.signatures[1].encodedSignature)").hasPrefix("ERR "))
    }

    @Test(
        "a split view: the witness that cosigned one history refuses the other; audit --quorum 1 fails on it",
        .timeLimit(.minutes(2))
    )
    func splitView() async throws {
        let directory = try TemporaryDirectory(prefix: "witness")
        let keys = try await Self.keys(in: directory)
        // Two daemons with the same signing key: the operator showing two histories of the same size.
        let honest = try DaemonProcess()
        try honest.start(configuration: keys.config)
        defer { honest.stop() }
        let forked = try DaemonProcess()
        try forked.start(configuration: keys.config)
        defer { forked.stop() }
        try await Self.append(honest, stream: "notes-1", count: 4, tag: "a")
        try await Self.append(forked, stream: "notes-1", count: 4, tag: "b")
        let state = directory.appending("state")
        #expect(try await Self.witness(honest, keys, state: state).status == 0)
        let before = try String(contentsOfFile: state + "/checkpoint", encoding: .utf8)

        let refused = try await Self.witness(forked, keys, state: state)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix("ledgerctl: REFUSED to cosign: SPLIT VIEW: two trees of size 4 "),
            "\(refused.stderr)"
        )
        #expect(try String(contentsOfFile: state + "/checkpoint", encoding: .utf8) == before, "the state is kept")
        try await Self.append(forked, stream: "notes-1", count: 1, tag: "b")
        let larger = try await Self.witness(forked, keys, state: state)
        #expect(larger.status == 1)
        #expect(larger.stderr.contains("does not extend the one of size 4 cosigned before"), "\(larger.stderr)")

        // An auditor shown the forked history, trusting its first checkpoint, finds no cosignature for it.
        let trusted = directory.appending("forked-trusted.note")
        #expect(
            try await LedgerctlProcess.run(["checkpoint", "--out", trusted], socket: forked.socketPath).status == 0
        )
        try await Self.append(forked, stream: "notes-1", count: 1, tag: "b")
        let audit = try await LedgerctlProcess.run(
            [
                "audit", "--trusted", trusted, "--key", keys.logKey + ".pub", "--witness", keys.witnessKey + ".pub",
                "--quorum", "1",
            ],
            socket: forked.socketPath
        )
        #expect(audit.status == 1)
        #expect(audit.stderr.contains("no checkpoint since the trusted one (size 5) has cosignatures from 1 of the 1"))
    }
}
