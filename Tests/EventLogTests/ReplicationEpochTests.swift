import EventLog
import LedgerTestSupport
import Testing

@Suite("Replication epochs: recorded durably and enforced by the writer")
struct ReplicationEpochTests {
    @Test("a ledger that does not lead takes only positioned (replicated) appends; one that leads, only clients'")
    func enforced() async throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            #expect(log.epoch == nil)
            _ = try log.append(request("s", .any, [event()]))
            let writer = GroupCommitWriter(log: log)
            let following = ReplicationEpoch(number: 3, leads: false, primary: "/run/primary.sock")
            try await writer.record(following)
            #expect(log.epoch == following)
            await #expect(throws: EventLogError.readOnly(epoch: 3, primary: "/run/primary.sock")) {
                try await writer.append(request("s", .any, [event()]))
            }
            let replicated = try AppendRequest(stream: "s", expected: .any, events: [event()], position: 2)
            #expect(try await writer.append(replicated).first == 2)
            await writer.shutdown()
        }
        let log = try await LogFixture.reopen(directory.path)
        #expect(log.epoch == ReplicationEpoch(number: 3, leads: false, primary: "/run/primary.sock"))
        #expect(throws: EventLogError.readOnly(epoch: 3, primary: "/run/primary.sock")) {
            try log.append(request("s", .any, [event()]))
        }
        try log.record(ReplicationEpoch(number: 4, leads: true))
        #expect(try log.append(request("s", .any, [event()])).first == 3)
        let replicated = try AppendRequest(stream: "s", expected: .any, events: [event()], position: 4)
        #expect(throws: EventLogError.self) { try log.append(replicated) }
        #expect(log.head.position == 3)
    }

    @Test("an epoch recorded on an empty ledger survives reopening")
    func emptyLedger() async throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            try log.record(ReplicationEpoch(number: 2, leads: false, primary: "p"))
        }
        #expect(try LogFixture.open(directory.path).epoch == ReplicationEpoch(number: 2, leads: false, primary: "p"))
    }

    @Test("a backup of a promoted ledger is restored as not leading: it takes appends only once promoted again")
    func restoredCopyDoesNotLead() throws {
        let directory = try TemporaryDirectory()
        let log = try LogFixture.open(directory.appending("data"))
        _ = try log.append(request("s", .any, [event()]))
        try log.record(ReplicationEpoch(number: 2, leads: true))
        let manifest = try log.backup(named: "promoted", into: directory.appending("backups"), server: "test")
        _ = try EventLog.restore(backup: directory.appending("backups/promoted"), to: directory.appending("restored"))
        let restored = try LogFixture.open(directory.appending("restored"))
        #expect(manifest.position == 1)
        #expect(restored.epoch == ReplicationEpoch(number: 2, leads: false))
        #expect(throws: EventLogError.readOnly(epoch: 2, primary: nil)) {
            try restored.append(request("s", .any, [event()]))
        }
    }
}
