import Foundation
import LedgerTestSupport
import Testing

@Suite("Rotating the signing key with an overlap: notes signed by both keys bridge the audit")
struct KeyRotationTests {
    private static func append(_ daemon: DaemonProcess) throws {
        let id = UUID().uuidString.lowercased()
        let reply = try daemon.connect().request(#"APPEND notes any [{"id":"\#(id)","type":"x-note","data":{}}]"#)
        #expect(reply.hasPrefix("OK "), "\(reply)")
    }

    @Test("old key, then both, then the new one: each audit verifies across the switch", .timeLimit(.minutes(2)))
    func overlap() async throws {
        let directory = try TemporaryDirectory(prefix: "rotation")
        let (old, new) = (directory.appending("old.key"), directory.appending("new.key"))
        for key in [old, new] { #expect(try Keygen.run(keyFile: key, name: "ledger.test/rotated").status == 0) }
        let daemon = try DaemonProcess()
        func run(_ checkpoints: String) throws {
            try daemon.start(configuration: #"{"checkpoints":{\#(checkpoints)}}"#)
            try Self.append(daemon)
        }
        func audit(_ trusted: String, key: String, save: String) async throws -> LedgerctlProcess.Outcome {
            try await LedgerctlProcess.run(
                ["audit", "--trusted", trusted, "--key", key + ".pub", "--save", save],
                socket: daemon.socketPath
            )
        }

        try run(#""keyFile":"\#(old)""#)
        let first = directory.appending("first.note")
        #expect(try await LedgerctlProcess.run(["checkpoint", "--out", first], socket: daemon.socketPath).status == 0)
        daemon.stop()

        // The overlap: the old key signs, and the new one beside it.
        try run(#""keyFile":"\#(old)","additionalKeyFiles":["\#(new)"]"#)
        let both = directory.appending("both.note")
        let bridged = try await audit(first, key: old, save: both)
        #expect(bridged.status == 0, "\(bridged.stdout) \(bridged.stderr)")
        #expect(try String(contentsOfFile: both, encoding: .utf8).components(separatedBy: "\u{2014} ").count == 3)
        daemon.stop()

        // The new key alone: an auditor who switched keys at the overlap's note goes on with the new key.
        try run(#""keyFile":"\#(new)""#)
        let last = try await audit(both, key: new, save: directory.appending("last.note"))
        #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
        let stale = try await audit(first, key: new, save: directory.appending("stale.note"))
        #expect(stale.status == 1, "the old key's note does not verify with the new key")
        // Notes signed before stay served as they were signed.
        let kept = try await LedgerctlProcess.run(["checkpoint", "--size", "1"], socket: daemon.socketPath)
        #expect(kept.stdout == (try String(contentsOfFile: first, encoding: .utf8)))
        daemon.stop()

        let unsigned = try DaemonProcess()
        #expect(throws: (any Error).self) {
            try unsigned.start(configuration: #"{"checkpoints":{"additionalKeyFiles":["\#(new)"]}}"#)
        }
        #expect(unsigned.log.contains("checkpoints.additionalKeyFiles: needs checkpoints.keyFile"), "\(unsigned.log)")
    }
}
