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
        let reopened = try await LogFixture.reopen(directory.path)
        #expect(
            try reopened.checkpoint(named: "payments")
                == ProjectionCheckpoint(name: "payments", position: 2, state: [4])
        )
        #expect(try reopened.checkpoint(named: "audit") == ProjectionCheckpoint(name: "audit", position: 1, state: []))
    }

    @Test("records are kept between saves, added by later saves, merged while waiting, and dropped by a replacing save")
    func records() async throws {
        let directory = try TemporaryDirectory()
        func stored(_ log: EventLog, _ name: String) throws -> [UInt64: [UInt8]] {
            var records = [UInt64: [UInt8]]()
            try log.forEachCheckpointRecord(named: name) { key, bytes in
                records[key] = Array(bytes)
                return true
            }
            return records
        }
        func record(_ key: UInt64) -> ProjectionCheckpoint.Record { .init(key: key, bytes: [UInt8(key), 0xAA]) }
        do {
            let log = try LogFixture.open(directory.path)
            let writer = GroupCommitWriter(log: log)
            _ = try await writer.append(request("s", .any, [event()]))
            writer.save(ProjectionCheckpoint(name: "p", position: 1, state: [1], records: [record(1), record(2)]))
            writer.save(ProjectionCheckpoint(name: "other", position: 1, state: [], records: [record(1)]))
            _ = try await writer.append(request("s", .any, [event()]))
            #expect(try stored(log, "p") == [1: [1, 0xAA], 2: [2, 0xAA]])
            // Two saves that add records, queued together, keep both saves' records.
            writer.save(
                ProjectionCheckpoint(name: "p", position: 2, state: [2], records: [record(3)], replacesRecords: false)
            )
            writer.save(
                ProjectionCheckpoint(name: "p", position: 2, state: [3], records: [record(4)], replacesRecords: false)
            )
            _ = try await writer.append(request("s", .any, [event()]))
            #expect(try stored(log, "p").keys.sorted() == [1, 2, 3, 4])
            await writer.shutdown()
        }
        do {
            let log = try await LogFixture.reopen(directory.path)
            #expect(try log.checkpoint(named: "p")?.state == [3])
            #expect(try stored(log, "p").keys.sorted() == [1, 2, 3, 4])
            let writer = GroupCommitWriter(log: log)
            writer.save(ProjectionCheckpoint(name: "p", position: 3, state: [4], records: [record(9)]))
            _ = try await writer.append(request("s", .any, [event()]))
            await writer.shutdown()
            #expect(try stored(log, "p") == [9: [9, 0xAA]])
            #expect(try stored(log, "other") == [1: [1, 0xAA]], "another checkpoint's records are its own")
        }
    }
}
