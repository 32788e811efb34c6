import Foundation
import LedgerProofs
import LedgerTestSupport
import Testing

/// The daemon's identity: its version, and the signing key's name, which is by convention the log's origin and must
/// follow C2SP's rules for one (a schema-less URL, no spaces or `+`).
@Suite("Identity: version and the signing key's name")
struct IdentityTests {
    @Test("ledgerd --version prints the release")
    func version() throws {
        let outcome = try Program.run(DaemonProcess.binary, ["--version"], withStandardError: false)
        #expect(outcome.status == 0)
        #expect(outcome.output.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil, "\(outcome.output)")
    }

    @Test("keygen's default name is URL-shaped: <hostname>/commissioning-ledger, lowercased, URL characters only")
    func defaultName() throws {
        let directory = try TemporaryDirectory(prefix: "keygen")
        let created = try Keygen.run(keyFile: directory.appending("ledger.key"))
        #expect(created.status == 0, "\(created.stderr)")
        let verifier = try NoteVerifier(parsing: created.stdout)
        #expect(verifier.name.wholeMatch(of: /[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/commissioning-ledger/) != nil)
        var buffer = [CChar](repeating: 0, count: 256)
        #expect(gethostname(&buffer, buffer.count - 1) == 0)
        let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if host.wholeMatch(of: /[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?/) != nil {
            #expect(verifier.name == host.lowercased() + "/commissioning-ledger")
        }
    }

    @Test("keygen refuses a name with a space, a +, a control character or a scheme, and writes nothing")
    func badNames() throws {
        let directory = try TemporaryDirectory(prefix: "keygen")
        for (name, problem) in [
            ("council 7", "it contains a space"), ("ledger.example.org/a+b", "it contains +"),
            ("ledger\u{1}", "it contains a control character"), ("https://ledger.example.org/c7", "it has a scheme"),
        ] {
            let refused = try Keygen.run(keyFile: directory.appending("ledger.key"), name: name)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("cannot be a log's origin: \(problem)"), "\(name): \(refused.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }
}
