import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl monitor: the log only ever grows, and serves what it signed")
struct MonitorTests {
    private static func append(_ daemon: DaemonProcess, count: Int) throws {
        let client = try daemon.connect()
        for _ in 0..<count {
            let id = UUID().uuidString.lowercased()
            let reply = try client.request(#"APPEND notes any [{"id":"\#(id)","type":"x-note","data":{}}]"#)
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
    }

    @Test("consistent runs pass and rehash; a forked history with the same key is an ALERT", .timeLimit(.minutes(2)))
    func monitors() async throws {
        let directory = try TemporaryDirectory(prefix: "monitor")
        let keyFile = directory.appending("log.key")
        #expect(try Keygen.run(keyFile: keyFile, name: "ledger.test/monitored").status == 0)
        let config = #"{"checkpoints":{"keyFile":"\#(keyFile)"}}"#
        let honest = try DaemonProcess()
        try honest.start(configuration: config)
        defer { honest.stop() }
        let forked = try DaemonProcess()
        try forked.start(configuration: config)
        defer { forked.stop() }
        try Self.append(honest, count: 5)
        try Self.append(forked, count: 5)

        let state = directory.appending("state")
        let monitor = ["monitor", "--state", state, "--key", keyFile + ".pub", "--rehash"]
        let first = try await LedgerctlProcess.run(monitor, socket: honest.socketPath)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stdout.contains("at size 5 root ") && first.stdout.contains("first checkpoint kept; 5 new events")
        )
        try Self.append(honest, count: 3)
        let second = try await LedgerctlProcess.run(monitor, socket: honest.socketPath)
        #expect(
            second.stdout.contains("consistent with size 5 verified before; 3 new events rehashed"),
            "\(second.stdout)"
        )
        let plain = try await LedgerctlProcess.run(Array(monitor.dropLast()), socket: honest.socketPath)
        #expect(plain.status == 0 && plain.stdout.contains("consistent with size 8 verified before"))

        // The same key, another history: the monitor alerts and keeps its state.
        let kept = try String(contentsOfFile: state + "/checkpoint", encoding: .utf8)
        try Self.append(forked, count: 3)
        let split = try await LedgerctlProcess.run(Array(monitor.dropLast()), socket: forked.socketPath)
        #expect(split.status == 1)
        #expect(split.stderr.hasPrefix("ledgerctl: ALERT: SPLIT VIEW: two trees of size 8 "), "\(split.stderr)")
        try Self.append(forked, count: 1)
        let rehashed = try await LedgerctlProcess.run(monitor, socket: forked.socketPath)
        #expect(rehashed.status == 1)
        #expect(rehashed.stderr.contains("ALERT: the 9 events the ledger serves hash to root "), "\(rehashed.stderr)")
        let proved = try await LedgerctlProcess.run(Array(monitor.dropLast()), socket: forked.socketPath)
        #expect(proved.stderr.contains("ALERT: the tree of size 9 does not extend the one of size 8 verified before"))
        #expect(try String(contentsOfFile: state + "/checkpoint", encoding: .utf8) == kept)
        // Without the kept tree, rehashing starts over and cannot prove the extension: the proof is still demanded.
        try FileManager.default.removeItem(atPath: state + "/tree.json")
        let lost = try await LedgerctlProcess.run(monitor, socket: forked.socketPath)
        #expect(lost.status == 1)
        #expect(lost.stderr.contains("ALERT: the tree of size 9 does not extend the one of size 8"), "\(lost.stderr)")
    }
}
