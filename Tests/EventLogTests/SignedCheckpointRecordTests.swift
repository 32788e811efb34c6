import EventLog
import LedgerTestSupport
import Testing

@Suite("Signed checkpoint records")
struct SignedCheckpointRecordTests {
    @Test("notes saved through the writer are kept per size, apart from projection checkpoints, across a reopen")
    func savedAndReloaded() async throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            #expect(try log.latestSignedCheckpoint() == nil)
            let writer = GroupCommitWriter(log: log)
            _ = try await writer.append(request("s", .any, [event(), event()]))
            writer.save(SignedCheckpointRecord(size: 2, note: "two\n"))
            writer.save(ProjectionCheckpoint(name: "commissioning", position: 2, state: [7]))
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(SignedCheckpointRecord(size: 1, note: "one\n"))
            writer.save(SignedCheckpointRecord(size: 3, note: "three — \n"))
            await writer.shutdown()
        }
        let reopened = try await LogFixture.reopen(directory.path)
        #expect(try reopened.signedCheckpoint(size: 2) == SignedCheckpointRecord(size: 2, note: "two\n"))
        #expect(try reopened.signedCheckpoint(size: 1)?.note == "one\n")
        #expect(try reopened.signedCheckpoint(size: 4) == nil)
        #expect(try reopened.latestSignedCheckpoint() == SignedCheckpointRecord(size: 3, note: "three — \n"))
        #expect(try reopened.checkpoint(named: "commissioning")?.state == [7])
    }
}
