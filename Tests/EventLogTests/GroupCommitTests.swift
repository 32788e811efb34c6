import EventLog
import Foundation
import Synchronization
import Testing

@Suite("Group commit writer")
struct GroupCommitTests {
    @Test("thousands of concurrent appends from many tasks get contiguous, unique positions", .timeLimit(.minutes(2)))
    func concurrentAppends() async throws {
        let fixture = try LogFixture()
        let commits = Mutex<[Int]>([])
        let writer = GroupCommitWriter(log: fixture.log) { commit in commits.withLock { $0.append(commit.events) } }
        let tasks = 50
        let perTask = 60
        let positions = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var mine = [UInt64]()
                    for index in 0..<perTask {
                        let stream = "stream-\(task % 7)"
                        let result = try await writer.append(
                            request(stream, .any, [event("n", ["i": .number(.init(index))])])
                        )
                        mine.append(result.first)
                    }
                    return mine
                }
            }
            var all = [UInt64]()
            for try await mine in group { all += mine }
            return all
        }
        await writer.shutdown()
        #expect(positions.sorted() == Array(1...UInt64(tasks * perTask)))
        #expect(fixture.log.head.position == UInt64(tasks * perTask))
        let batches = commits.withLock { $0 }
        #expect(batches.reduce(0, +) == tasks * perTask)
        #expect(batches.count < tasks * perTask, "appends should share transactions")
        for stream in 0..<7 {
            let events = try fixture.log.read(stream: "stream-\(stream)", limit: 10_000)
            #expect(try events.map { try $0.decoded().version } == Array(1...UInt64(events.count)))
        }
        #expect(try fixture.log.verify().size == UInt64(tasks * perTask))
    }

    @Test("a transaction takes queued appends up to maxBatchEvents events (a larger append alone), in submitted order")
    func batchLimit() async throws {
        let fixture = try LogFixture()
        let commits = Mutex<[Int]>([])
        let writer = GroupCommitWriter(log: fixture.log, maxBatchEvents: 3) { commit in
            commits.withLock { $0.append(commit.events) }
        }
        let sizes = [1, 2, 1, 1, 5, 1, 2, 2, 1, 1, 1, 1]
        let firsts = Mutex<[Int: UInt64]>([:])
        let remaining = Mutex(sizes.count)
        // Submitted one after another without waiting, so that they queue while the first commits.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for (index, size) in sizes.enumerated() {
                writer.submit(request("s", .any, (0..<size).map { _ in event() })) { result in
                    firsts.withLock { $0[index] = try? result.get().first }
                    if remaining.withLock({ count in
                        count -= 1
                        return count
                    }) == 0 {
                        done.resume()
                    }
                }
            }
        }
        await writer.shutdown()
        let batches = commits.withLock { $0 }
        #expect(batches.reduce(0, +) == sizes.reduce(0, +))
        #expect(batches.allSatisfy { $0 <= 3 || $0 == 5 }, "\(batches)")
        let expected = sizes.indices.map { 1 + UInt64(sizes[..<$0].reduce(0, +)) }
        #expect(firsts.withLock { firsts in sizes.indices.map { firsts[$0] } } == expected)
    }

    @Test("each caller gets its own version conflict inside a shared commit")
    func ownConflicts() async throws {
        let fixture = try LogFixture()
        let writer = GroupCommitWriter(log: fixture.log)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { (try? await writer.append(request("only-once", .noStream, [event()]))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        await writer.shutdown()
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(fixture.log.head.position == 1)
    }

    @Test("after shutdown, appends are refused with shuttingDown")
    func shutdown() async throws {
        let fixture = try LogFixture()
        let writer = GroupCommitWriter(log: fixture.log)
        _ = try await writer.append(request("s", .any, [event()]))
        await writer.shutdown()
        await #expect(throws: EventLogError.shuttingDown) {
            try await writer.append(request("s", .any, [event()]))
        }
    }

    @Test("onCommit runs before the callers are answered, onAnswered after; neither runs when nothing was written")
    func commitHooks() async throws {
        let fixture = try LogFixture()
        let seen = Mutex<[String]>([])
        let writer = GroupCommitWriter(
            log: fixture.log,
            onCommit: { commit in seen.withLock { $0.append("commit \(commit.head.position)") } },
            onAnswered: { commit in seen.withLock { $0.append("answered \(commit.head.position)") } }
        )
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            writer.submit(request("s", .noStream, [event()])) { _ in
                seen.withLock { $0.append("reply") }
                done.resume()
            }
        }
        // Refused (the stream exists now): answered, but nothing was written.
        writer.submit(request("s", .noStream, [event()])) { _ in seen.withLock { $0.append("refused") } }
        await writer.shutdown()
        #expect(seen.withLock { $0 } == ["commit 1", "reply", "answered 1", "refused"])
    }
}

@Suite("Group commit writer: liveness ping")
struct WriterPingTests {
    /// Pings `writer`; whether the answer comes within `timeout`. Waits on a semaphore the writer thread signals, so a
    /// busy cooperative pool (other tests run meanwhile) cannot make a late check of a timely answer.
    static func answered(_ writer: GroupCommitWriter, within timeout: Duration) -> Bool {
        let answered = DispatchSemaphore(value: 0)
        guard writer.ping({ answered.signal() }) else { return false }
        return answered.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success
    }

    @Test(
        "an idle writer answers; one waiting for LMDB's write lock does not (its backlog shows), until it commits",
        .timeLimit(.minutes(3))
    )
    func pingFollowsTheWriterThread() async throws {
        let fixture = try LogFixture()
        let writer = GroupCommitWriter(log: fixture.log)
        #expect(Self.answered(writer, within: .seconds(2)))
        // Another write transaction on the environment (as another process's would) holds LMDB's write lock.
        let taken = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread {
            _ = try? fixture.log.environment.write { _ in
                taken.signal()
                release.wait()
            }
        }.start()
        taken.wait()
        // Submitted without awaiting (the test waits on semaphores, not on a cooperative pool other tests keep busy).
        let firsts = Mutex<[UInt64?]>([])
        let answered = DispatchSemaphore(value: 0)
        func submit() {
            writer.submit(request("s", .any, [event()])) { result in
                firsts.withLock { $0.append(try? result.get().first) }
                answered.signal()
            }
        }
        submit()
        // Time for the writer to take the append into a transaction, which now waits for the lock.
        usleep(300_000)
        submit()
        #expect(writer.queuedRequests == 1)
        #expect(!Self.answered(writer, within: .seconds(1)))
        release.signal()
        for _ in 1...2 { #expect(answered.wait(timeout: .now() + .seconds(20)) == .success) }
        #expect(firsts.withLock { $0 } == [1, 2])
        #expect(Self.answered(writer, within: .seconds(10)))
        await writer.shutdown()
        #expect(!writer.ping {})
        #expect(fixture.log.head.position == 2)
    }
}

@Suite("Group commit writer: answers before LMDB commits")
struct EarlyAnswerTests {
    @Test(
        "a read started the moment an append is answered sees it, although the writer answers before LMDB commits",
        .timeLimit(.minutes(2))
    )
    func readAfterAnswer() async throws {
        let fixture = try LogFixture()
        let writer = GroupCommitWriter(log: fixture.log)
        let readers = DispatchQueue(label: "readers", attributes: .concurrent)
        let missing = Mutex<[UInt64]>([])
        let reads = DispatchGroup()
        let appends = 2000
        let answered = DispatchSemaphore(value: 0)
        // One append at a time, so that each is a transaction of its own answered before its commit, and each read
        // starts on another thread as its answer comes (the commit's tail still running on the writer).
        for _ in 1...appends {
            writer.submit(request("s", .any, [event()])) { result in
                guard case .success(let appended) = result else { preconditionFailure("\(result)") }
                reads.enter()
                readers.async {
                    let found = (try? fixture.log.event(at: appended.last)) ?? nil
                    let streamed = (try? fixture.log.read(stream: "s", from: appended.last, limit: 1)) ?? []
                    if found == nil || streamed.isEmpty { missing.withLock { $0.append(appended.last) } }
                    reads.leave()
                }
                answered.signal()
            }
            #expect(answered.wait(timeout: .now() + .seconds(20)) == .success)
        }
        #expect(reads.wait(timeout: .now() + .seconds(20)) == .success)
        // The temporary directory's filesystem reserves blocks (ext4, XFS, tmpfs, overlayfs): answers came early.
        #expect(writer.statistics.earlyAnswers == appends, "\(writer.statistics)")
        await writer.shutdown()
        let unseen = missing.withLock { $0 }
        #expect(unseen.isEmpty, "\(unseen.count) of \(appends) reads missed their append, from \(unseen.prefix(5))")
        #expect(fixture.log.head.position == UInt64(appends))
    }
}
