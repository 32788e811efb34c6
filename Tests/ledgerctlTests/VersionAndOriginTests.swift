import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl --version; ops/install --origin names the log and its signing key", .serialized)
struct VersionAndOriginTests {
    @Test("ledgerctl --version prints the same release as ledgerd --version")
    func version() throws {
        let ledgerctl = try LedgerctlProcess.run(["--version"], socket: nil)
        #expect(ledgerctl.status == 0, "\(ledgerctl.stderr)")
        #expect(ledgerctl.stdout.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil, "\(ledgerctl.stdout)")
        let ledgerd = try Program.run(DaemonProcess.binary, ["--version"])
        #expect(ledgerd.status == 0 && ledgerd.output == ledgerctl.stdout, "\(ledgerd.output)")
    }

    @Test("ops/install --origin NAME: the key is named NAME and the configuration's checkpoints.origin is NAME")
    func installWithOrigin() async throws {
        let root = try TemporaryDirectory(prefix: "ops-root")
        _ = try await OpsInstallTests.install(into: root, ["--origin", "ledger.test/council-9"])
        let config = try OpsInstallTests.json(at: root.appending("etc/ledgerd/ledgerd.json"))
        let checkpoints = try #require(config["checkpoints"] as? [String: Any])
        #expect(checkpoints["origin"] as? String == "ledger.test/council-9")
        let publicKey = try String(contentsOfFile: root.appending("etc/ledgerd/checkpoint.key.pub"), encoding: .utf8)
        #expect(publicKey.hasPrefix("ledger.test/council-9+"), "\(publicKey)")
    }

    @Test("ops/install without --origin: the key has keygen's default name and the configuration no origin of its own")
    func installWithoutOrigin() async throws {
        let root = try TemporaryDirectory(prefix: "ops-root")
        _ = try await OpsInstallTests.install(into: root)
        let config = try OpsInstallTests.json(at: root.appending("etc/ledgerd/ledgerd.json"))
        let checkpoints = try #require(config["checkpoints"] as? [String: Any])
        #expect(checkpoints["origin"] == nil)
        #expect(checkpoints["keyFile"] as? String == "/etc/ledgerd/checkpoint.key")
        let publicKey = try String(contentsOfFile: root.appending("etc/ledgerd/checkpoint.key.pub"), encoding: .utf8)
        #expect(publicKey.split(separator: "+").first?.hasSuffix("/commissioning-ledger") == true, "\(publicKey)")
    }

    @Test("ops/install refuses an origin with a space, a + or a scheme before installing anything")
    func installRefusesBadOrigin() async throws {
        let binaries = (DaemonProcess.binary as NSString).deletingLastPathComponent
        for origin in ["council 7", "ledger.test/a+b", "https://ledger.test/c7"] {
            let root = try TemporaryDirectory(prefix: "ops-root")
            let outcome = try await Program.run(
                "/bin/bash",
                [
                    "\(OpsInstallTests.repository)/ops/install", "--root", root.path, "--skip-build", "--bin-dir",
                    binaries, "--origin", origin,
                ]
            )
            #expect(outcome.status == 2)
            #expect(outcome.output.contains("--origin \(origin): use a schema-less URL"), "\(outcome.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        }
    }
}
