import Foundation
import LedgerClient
import LedgerJSON
import LedgerTestSupport
import LedgerWire
import Testing

@Suite("Retries, version conflicts and Codable event data against a real ledgerd")
struct RetryingLedgerTests {
    struct Visit: Codable, Hashable {
        var person: String
        var minutes: Int
    }

    @Test("appends and reads are retried across a daemon restart; a retried append is a duplicate, not a second copy")
    func retriesAcrossRestart() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = RetryingLedger(socketPath: daemon.socketPath)
        let visit = try JSONValue.event(type: "x-visit", data: Visit(person: "P-1", minutes: 30))
        let first = try await ledger.append(to: "visits-1", expected: .noStream, events: [visit])
        #expect(first.first == 1 && !first.duplicate)

        // The daemon restarts: the next request reconnects; the same event again is recognised by its id.
        _ = daemon.stop()
        let retried = Task { () async throws -> AppendResult in
            try await ledger.append(to: "visits-1", events: [visit])
        }
        try await Task.sleep(for: .milliseconds(300))
        try daemon.start()
        let again = try await retried.value
        #expect(again.duplicate && again.first == 1)
        let events = try await ledger.perform { (connection) async throws(LedgerClientError) in
            try await connection.read(stream: "visits-1").events
        }
        #expect(try events.map { try $0.decodeData(as: Visit.self) } == [Visit(person: "P-1", minutes: 30)])

        // Events without ids are given one before the first attempt.
        let unnamed: JSONValue = ["type": "x-visit", "data": ["person": "P-2", "minutes": 5]]
        #expect(try await ledger.append(to: "visits-2", events: [unnamed, unnamed]).last == 3)
        await ledger.close()
    }

    @Test("a version conflict's stream, expected and actual versions are typed fields; refusals are not retried")
    func versionConflict() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = RetryingLedger(socketPath: daemon.socketPath)
        _ = try await ledger.append(to: "s", events: [try JSONValue.event(type: "x-a", data: ["n": 1])])
        for expected in [ExpectedVersion.noStream, .exact(5)] {
            do {
                _ = try await ledger.append(to: "s", expected: expected, events: [.event(type: "x-a", data: ["n": 2])])
                Issue.record("a wrong expected version was accepted")
            } catch {
                #expect(
                    (error as? LedgerClientError)?.versionConflict
                        == VersionConflict(stream: "s", expected: expected, actual: 1)
                )
            }
        }
        await ledger.close()
    }
}
