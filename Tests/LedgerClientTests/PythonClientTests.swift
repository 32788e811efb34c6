import LedgerTestSupport
import Testing

@Suite("The Python client (Protocols/clients/python) against a real ledgerd")
struct PythonClientTests {
    @Test(
        "its unittest suite passes: appends, reads, subscriptions, consumers, proofs, pip install offline",
        .timeLimit(.minutes(3))
    )
    func unittestSuite() async throws {
        let tests = SpecDocument.repository + "/Protocols/clients/python/tests"
        let outcome = try await Program.run(
            "/usr/bin/env",
            ["python3", "-m", "unittest", "discover", "-s", tests, "-v"],
            environment: ["LEDGERD": DaemonProcess.binary, "PYTHONDONTWRITEBYTECODE": "1"],
            currentDirectory: SpecDocument.repository
        )
        if outcome.status == 127 {
            Issue.record("python3 is not installed (ops/install-deps installs it): \(outcome.output)")
            return
        }
        #expect(outcome.status == 0 && !outcome.killed, "python3 -m unittest failed:\n\(outcome.output)")
    }
}
