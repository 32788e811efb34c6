import EventLog
import LedgerTestSupport
import Testing

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("a checkpoint saved through the writer survives a reopen; the latest per name wins")
    func savedAndReloaded() async throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            #expect(try log.checkpoint(named: "payments") == nil)
            let writer = GroupCommitWriter(log: log)
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(Checkpoint(name: "payments", position: 1, state: [1, 2, 3]))
            writer.save(Checkpoint(name: "audit", position: 1, state: []))
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(Checkpoint(name: "payments", position: 2, state: [4]))
            await writer.shutdown()
        }
        let reopened = try LogFixture.open(directory.path)
        #expect(try reopened.checkpoint(named: "payments") == Checkpoint(name: "payments", position: 2, state: [4]))
        #expect(try reopened.checkpoint(named: "audit") == Checkpoint(name: "audit", position: 1, state: []))
    }
}
