import LedgerTestSupport
import Testing

/// Runs the examples of Protocols/clients.md (`client-example` blocks) against a real ledgerd, so the guide's code
/// is always code that works.
@Suite("The clients guide's examples against a real ledgerd")
struct ClientsGuideTests {
    @Test("the Python example appends, consumes and acknowledges; the socat example appends and reads")
    func examples() async throws {
        let blocks = try SpecDocument("Protocols/clients.md").blocks(["python client-example", "sh client-example"])
        #expect(blocks.count == 2)
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let environment = ["LEDGER_SOCKET": daemon.socketPath]
        for block in blocks {
            let outcome =
                block.info.hasPrefix("python")
                ? try await Program.run("/usr/bin/env", ["python3", "-c", block.text], environment: environment)
                : try await Program.run("/bin/sh", ["-c", block.text], environment: environment)
            #expect(outcome.status == 0, "\(block.info) at line \(block.line): \(outcome.output)")
            if block.info.hasPrefix("python") {
                #expect(outcome.lines.first?.hasPrefix(#"appended {"first":1,"last":1,"version":1}"#) == true)
                #expect(outcome.lines.contains { $0.hasPrefix("1 visits-P-7f3a {") })
                #expect(outcome.lines.last == #"done {"acked":1,"count":1,"next":2}"#)
            } else {
                #expect(outcome.lines.first == #"OK {"first":2,"last":2,"version":1}"#)
                #expect(outcome.lines.last == "OK {}")
            }
        }
    }
}
