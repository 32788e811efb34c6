import EventLog
import LedgerTestSupport
import Testing

@Suite("Projection checkpoints")
struct ProjectionCheckpointTests {
    @Test("a checkpoint saved through the writer survives a reopen; the latest per name wins")
    func savedAndReloaded() async throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            #expect(try log.checkpoint(named: "payments") == nil)
            let writer = GroupCommitWriter(log: log)
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(ProjectionCheckpoint(name: "payments", position: 1, state: [1, 2, 3]))
            writer.save(ProjectionCheckpoint(name: "audit", position: 1, state: []))
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(ProjectionCheckpoint(name: "payments", position: 2, state: [4]))
            await writer.shutdown()
        }
        let reopened = try LogFixture.open(directory.path)
        #expect(
            try reopened.checkpoint(named: "payments")
                == ProjectionCheckpoint(name: "payments", position: 2, state: [4])
        )
        #expect(try reopened.checkpoint(named: "audit") == ProjectionCheckpoint(name: "audit", position: 1, state: []))
    }
}
