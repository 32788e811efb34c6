import Foundation
import LedgerTestSupport
import Testing

@Suite("Evidence bundles: written from a running ledger, verified offline")
struct BundleTests {
    /// The verifier key of Protocols/proofs.md's worked example.
    private static func specKey(in directory: TemporaryDirectory) throws -> String {
        let key = try #require(try SpecDocument("Protocols/proofs.md").blocks(["verifier-key"]).first).text
        let path = directory.appending("spec.pub")
        try key.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the spec's example bundle verifies with the example key; a changed byte, a missing proof, a wrong key fail")
    func specExample() async throws {
        let directory = try TemporaryDirectory(prefix: "bundle")
        let key = try Self.specKey(in: directory)
        let text = try #require(try SpecDocument("Protocols/proofs.md").blocks(["bundle"]).first).text
        func verify(_ bundle: String, key: String) async throws -> LedgerctlProcess.Outcome {
            let path = directory.appending("bundle-\(UUID().uuidString).json")
            try bundle.write(toFile: path, atomically: true, encoding: .utf8)
            return try await LedgerctlProcess.run(["verify-bundle", path, "--key", key], socket: nil)
        }
        let genuine = try await verify(text, key: key)
        #expect(genuine.status == 0, "\(genuine.stderr)")
        #expect(
            genuine.stdout
                == "OK 1 events (the bundle says of case example) in the checkpoint of size 8 of ledger.example.org/council-7 signed by ledger.example.org/council-7\n"
        )

        let changed = try await verify(text.replacingOccurrences(of: #""@ABC""#, with: #""@ABD""#), key: key)
        #expect(changed.status == 1)
        #expect(changed.stderr.hasPrefix("ledgerctl: event 6: its bytes hash to "), "\(changed.stderr)")
        let noProof = text.replacingOccurrences(of: #""proof""#, with: #""proofs""#)
        #expect(try await verify(noProof, key: key).stderr == "ledgerctl: event 6 has no inclusion proof\n")
        let changedProof = text.replacingOccurrences(
            of: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            with: String(repeating: "0", count: 64)
        )
        let misled = try await verify(changedProof, key: key)
        #expect(misled.stderr.contains("its inclusion proof does not lead to the signed root"), "\(misled.stderr)")

        let other = directory.appending("other.key")
        #expect(try Keygen.run(keyFile: other, name: "ledger.example.org/council-7").status == 0)
        let wrongKey = try await verify(text, key: other + ".pub")
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.hasPrefix("ledgerctl: the bundle's checkpoint does not verify with the log's key: "))
    }

    @Test("bundle case writes the whole decision trail; verify-bundle checks it offline", .timeLimit(.minutes(2)))
    func fromLedger() async throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/bundle")
        try daemon.start(["--config", signing.config])
        let demo = try await LedgerctlProcess.run(["demo", "--cases", "4"], socket: daemon.socketPath)
        #expect(demo.status == 0, "\(demo.stderr)")
        let history = try await LedgerctlProcess.run(
            ["history", "case", "C000002", "--json"],
            socket: daemon.socketPath
        )
        let entries = try #require(
            (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])?["rows"] as? [Any]
        )
        let path = daemon.directory.appending("case.json")
        let written = try await LedgerctlProcess.run(
            ["bundle", "case", "C000002", "--key", signing.publicKey, "--out", path],
            socket: daemon.socketPath
        )
        #expect(written.status == 0, "\(written.stderr)")
        daemon.stop()
        // Offline: the daemon is gone.
        let verified = try await LedgerctlProcess.run(["verify-bundle", path, "--key", signing.publicKey], socket: nil)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(
            verified.stdout.hasPrefix(
                "OK \(entries.count) events (the bundle says of case C000002) in the checkpoint of size "
            ),
            "\(verified.stdout)"
        )
    }
}
