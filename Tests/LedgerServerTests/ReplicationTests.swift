import CommissioningScenario
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// A follower (`ledgerd --follow PRIMARY`) against a primary, both real daemons on this machine.
@Suite("Replication: a follower of a primary", .serialized)
struct ReplicationTests {
    @Test(
        "a follower stores the primary's log byte for byte, follows it, refuses appends, resumes after kill -9, waits for a stopped primary"
    )
    func follows() throws {
        let events = Self.scenario(seed: 3)
        let half = events.count / 2
        let primary = try DaemonProcess()
        defer { _ = primary.stop() }
        try primary.start()
        let writer = try primary.connect()
        let (_, commissioner) = try writer.append(events[..<half])

        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(["--follow", primary.socketPath])
        try Self.expectSameLog(follower, as: primary)
        _ = try writer.append(events[half...])
        try Self.expectSameLog(follower, as: primary)

        let reader = try follower.connect()
        let append = #"APPEND notes-1 any {"id":"0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e01","type":"x-note","data":{}}"#
        let refused = try reader.request(append)
        #expect(refused.hasPrefix("ERR READ_ONLY ") && refused.contains(primary.socketPath), "\(refused)")
        let replication = try Self.status(of: follower)["replication"]
        #expect(replication?["role"]?.stringValue == "follower")
        #expect(replication?["state"]?.stringValue == "following")
        #expect(replication?["lagEvents"]?.int64Value == 0)
        let primaryReplication = try Self.status(of: primary)["replication"]
        #expect(primaryReplication?["role"]?.stringValue == "primary")
        let listed = primaryReplication?["followers"]?.arrayValue ?? []
        #expect(listed.count == 1 && listed.first?["lagEvents"]?.int64Value == 0, "\(listed)")
        let query = "QUERY AFTER \(events.count) payments commissioner \(commissioner)"
        let (followerAnswer, primaryAnswer) = (
            try reader.readSequence(after: query), try writer.readSequence(after: query)
        )
        #expect(followerAnswer == primaryAnswer)

        // Killed, it resumes from what it stored: no gap, no event twice.
        #expect(follower.stop(signal: SIGKILL) != nil)
        for index in 0..<300 {
            let id = String(format: "0190f3a0-7c1e-7d2a-9b3c-%012x", index + 1)
            let note = #"{"id":"\#(id)","type":"x-note","data":{"n":\#(index),"exact":1.50}}"#
            #expect(try writer.request("APPEND notes-\(index % 7) any \(note)").hasPrefix("OK "))
        }
        try follower.start(["--follow", primary.socketPath])
        try Self.expectSameLog(follower, as: primary)
        // The primary stopped: the follower waits for it, and goes on when it is back.
        #expect(primary.stop() == 0)
        try Self.waitUntil { try Self.status(of: follower)["replication"]?["state"]?.stringValue == "connecting" }
        try primary.start()
        let note = #"{"id":"0190f3a0-7c1e-7d2a-9b3c-100000000001","type":"x-note","data":{}}"#
        #expect(try primary.connect().request("APPEND notes-back any \(note)").hasPrefix("OK "))
        try Self.expectSameLog(follower, as: primary)
        #expect(try Self.status(of: follower)["replication"]?["state"]?.stringValue == "following")
        let verified = try follower.connect().request("VERIFY")
        let root = try Self.status(of: primary)["root"]?.stringValue ?? "-"
        #expect(verified.hasPrefix("OK ") && verified.contains(root), "\(verified)")
    }

    @Test("a follower refuses a primary whose history is not the one it replicated, and serves what it has")
    func refusesRewrittenHistory() throws {
        let events = Self.scenario(seed: 4)
        let original = try DaemonProcess()
        defer { _ = original.stop() }
        try original.start()
        _ = try original.connect().append(events)
        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(["--follow", original.socketPath])
        try Self.expectSameLog(follower, as: original)
        let before = try Self.status(of: follower)
        #expect(follower.stop() == 0)

        // The same events with one more in the middle: a rewritten history, longer than what the follower holds.
        let rewritten = try DaemonProcess()
        defer { _ = rewritten.stop() }
        try rewritten.start()
        var changed = events
        changed.insert(Self.renamed(events[0]), at: events.count / 2)
        _ = try rewritten.connect().append(changed)
        try follower.start(["--follow", rewritten.socketPath])
        try Self.waitUntil { try Self.status(of: follower)["replication"]?["state"]?.stringValue == "refused" }
        let after = try Self.status(of: follower)
        #expect(after["head"] == before["head"] && after["root"] == before["root"])
        #expect(after["replication"]?["problem"]?.stringValue?.contains("not the one replicated here") == true)
        #expect(follower.log.contains("replication refused"))
        let metrics = try follower.connect().request("METRICS")
        #expect(metrics.contains(#"ledger_replication_refused 1"#), "\(metrics.prefix(200))")
        // Still serving what it holds.
        let served = try follower.connect().readSequence(after: "READALL 1 5")
        #expect(served.count == 6)
    }

    @Test("a follower started on a copy of the primary's data directory follows on from it")
    func followsFromACopy() throws {
        let events = Self.scenario(seed: 5)
        let primary = try DaemonProcess()
        defer { _ = primary.stop() }
        try primary.start()
        _ = try primary.connect().append(events[..<(events.count / 2)])
        #expect(primary.stop() == 0)
        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try FileManager.default.copyItem(atPath: primary.dataDirectory, toPath: follower.dataDirectory)
        try primary.start()
        _ = try primary.connect().append(events[(events.count / 2)...])
        try follower.start(["--follow", primary.socketPath])
        try Self.expectSameLog(follower, as: primary)
    }

    @Test(
        "with replication.syncFollowers an append is acknowledged once a follower holds it; without one, after syncTimeoutMs and then at once until one catches up (degrade), or not at all (block)"
    )
    func synchronous() throws {
        let primary = try DaemonProcess()
        defer { _ = primary.stop() }
        try primary.start(configuration: #"{"replication":{"syncFollowers":1,"syncTimeoutMs":300}}"#)
        let client = try primary.connect()
        func note(_ number: Int) -> String {
            let id = String(format: "0190f3a0-7c1e-7d2a-9b3c-%012x", number)
            return #"APPEND notes-sync any {"id":"\#(id)","type":"x-note","data":{"n":\#(number)}}"#
        }
        func position(_ reply: String) throws -> Int64 {
            try #require(try JSONParser.parse(String(reply.dropFirst(3)))["last"]?.int64Value, "\(reply)")
        }

        // No follower: acknowledged once the timeout has passed, with a warning and a count.
        let started = Date()
        #expect(try client.request(note(1)).hasPrefix("OK "))
        #expect(Date().timeIntervalSince(started) >= 0.3)
        #expect(primary.log.contains("append acknowledged before 1 follower(s) stored it"))
        // Degraded: the next is acknowledged at once, until a follower holds the head again.
        let next = Date()
        #expect(try client.request(note(100)).hasPrefix("OK "))
        #expect(Date().timeIntervalSince(next) < 0.3)
        let degraded = try client.request("METRICS")
        #expect(degraded.contains("ledger_replication_sync_timeouts_total 2"))
        #expect(degraded.contains("ledger_replication_sync_degraded 1"))

        // With a follower: every acknowledged append is already in its log.
        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(["--follow", primary.socketPath])
        try Self.expectSameLog(follower, as: primary)
        for number in 2...21 {
            let acknowledged = try position(try client.request(note(number)))
            #expect(try Self.status(of: follower)["head"]?.int64Value ?? 0 >= acknowledged)
        }
        let synchronous = try client.request("METRICS")
        #expect(synchronous.contains("ledger_replication_sync_timeouts_total 2"))
        #expect(synchronous.contains("ledger_replication_sync_degraded 0"))

        // block: with the follower gone, the answer waits until it is back and holds the append.
        #expect(follower.stop() == 0)
        #expect(primary.stop() == 0)
        try primary.start(configuration: #"{"replication":{"syncFollowers":1,"onSyncTimeout":"block"}}"#)
        let waiting = try primary.connect()
        try waiting.send(note(22))
        #expect(throws: LineClient.Failure.self) { try waiting.readLine(timeout: 0.5) }
        try follower.start(["--follow", primary.socketPath])
        let reply = try #require(try waiting.readLine(timeout: 20))
        #expect(try Self.status(of: follower)["head"]?.int64Value ?? 0 >= (try position(reply)))

        // block, stopping: an append still waiting for a follower is answered SHUTTING_DOWN, not left unanswered.
        #expect(follower.stop() == 0)
        try waiting.send(note(23))
        #expect(throws: LineClient.Failure.self) { try waiting.readLine(timeout: 0.5) }
        let stopping = Date()
        #expect(primary.stop() == 0)
        #expect(try waiting.readLine(timeout: 5)?.hasPrefix("ERR SHUTTING_DOWN ") == true)
        #expect(Date().timeIntervalSince(stopping) < 5)
    }

    /// The events of a small generated scenario.
    static func scenario(seed: UInt64) -> [ProposedDomainEvent] {
        var scenario = Scenario(seed: seed, size: .tiny)
        var events = [ProposedDomainEvent]()
        while let event = scenario.next() { events.append(event) }
        return events
    }

    /// `event` under a new id on a stream of its own.
    static func renamed(_ event: ProposedDomainEvent) -> ProposedDomainEvent {
        var renamed = event
        renamed.id = String(renamed.id.dropLast(4)) + "ffff"
        renamed.stream = "notes-renamed"
        renamed.type = "x-note"
        renamed.data = ["note": "inserted"]
        return renamed
    }

    static func status(of daemon: DaemonProcess) throws -> JSONValue {
        try JSONParser.parse(String(try daemon.connect().request("STATUS").dropFirst(3)))
    }

    /// Waits until the follower holds the primary's head, then compares their logs line by line and their roots.
    static func expectSameLog(_ follower: DaemonProcess, as primary: DaemonProcess) throws {
        let head = try status(of: primary)["head"]
        try waitUntil { try status(of: follower)["head"] == head }
        let (followerRoot, primaryRoot) = (try status(of: follower)["root"], try status(of: primary)["root"])
        #expect(followerRoot == primaryRoot)
        let (mine, theirs) = (try follower.connect(), try primary.connect())
        let (followerLog, primaryLog) = (
            try mine.readSequence(after: "READALL"), try theirs.readSequence(after: "READALL")
        )
        #expect(followerLog == primaryLog)
    }

    static func waitUntil(
        timeout: Double = 30,
        _ what: @autoclosure () -> String = "",
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            try #require(Date() < deadline, "timed out: \(what())", sourceLocation: sourceLocation)
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

extension LineClient {
    /// Sends `request` and reads its whole reply (the lines to `END`, or one `ERR`).
    fileprivate func readSequence(after request: String) throws -> [String] {
        try send(request)
        return try readSequence(timeout: 30)
    }
}
