import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl tail")
struct TailTests {
    @Test("tail follows new events, filters by type and resumes after a daemon restart", .timeLimit(.minutes(1)))
    func followsAcrossRestart() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let socket = daemon.socketPath
        let first = try writeFile(
            [eventLine(1, type: "x-a"), eventLine(2, type: "x-b")].joined(separator: "\n"),
            named: "first.ndjson",
            in: daemon.directory.path
        )
        #expect(try LedgerctlProcess.run(["append", "s", first], socket: socket).status == 0)

        let everything = try LedgerctlProcess.Running(["tail", "--from", "1"], socket: socket)
        let onlyB = try LedgerctlProcess.Running(["tail", "--type", "x-b"], socket: socket)
        defer {
            everything.stop()
            onlyB.stop()
        }
        #expect(everything.waitForLines(2).count == 2)
        // Both tails hold their subscription (plus this STATUS connection) before the restart: three connections
        // for 300 ms running, which the short-lived HELLO connection of the second tail cannot fake.
        let probe = try daemon.connect()
        let deadline = Date().addingTimeInterval(20)
        var stablePolls = 0
        while stablePolls < 15, Date() < deadline {
            stablePolls = try probe.request("STATUS").contains(#""connections":3,"#) ? stablePolls + 1 : 0
            usleep(20_000)
        }

        #expect(daemon.stop() == 0)
        try daemon.start()
        let second = try writeFile(
            [eventLine(3, type: "x-b"), eventLine(4, type: "x-a")].joined(separator: "\n"),
            named: "second.ndjson",
            in: daemon.directory.path
        )
        #expect(try LedgerctlProcess.run(["append", "s", second], socket: socket).status == 0)

        let lines = everything.waitForLines(4)
        #expect(lines.map { $0.prefix(14) } == (1...4).map { #"{"position":\#($0),"# })
        let filtered = onlyB.waitForLines(1)
        #expect(filtered.count == 1)
        #expect(filtered.first?.hasPrefix(#"{"position":3,"#) == true)
    }
}
