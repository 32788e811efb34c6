import CommissioningScenario
import Foundation
import LedgerJSON
import LedgerTestSupport
import Synchronization
import Testing

/// The read models through the socket: payments across contracts, whole and paged, answered from
/// `<data>/read-models`, which a restart reuses and a damaged store does not stop (it is made afresh from the log).
@Suite("Read models in the daemon", .serialized)
struct ReadModelDaemonTests {
    @Test("pages hold the whole answer; the store is owner-only, reused after a restart, made afresh when damaged")
    func pagedAndRestarted() throws {
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        let (client, count, commissioner) = try Self.load(
            daemon,
            seed: 5,
            size: ScenarioSize(commissioners: 2, providers: 12, consortia: 2, cases: 30, concurrentCases: 6)
        )
        let whole = try client.ask("QUERY AFTER \(count) payments commissioner \(commissioner)")
        let rows = whole.filter { $0.hasPrefix("ROW ") }
        #expect(rows.count > 20)

        // Pages of 7 rows, each naming the next, hold the rows of the whole answer in order.
        var paged = [String]()
        var clause = "LIMIT 7"
        while true {
            let page = try client.ask("QUERY payments commissioner \(commissioner) \(clause)")
            let end = try JSONParser.parse(String(try #require(page.last).dropFirst(4)))
            #expect(page.count <= 8 && end["count"]?.int64Value == Int64(page.count - 1))
            paged += page.filter { $0.hasPrefix("ROW ") }
            guard let next = end["next"]?.stringValue else { break }
            clause = "LIMIT 7 FROM \(next)"
        }
        #expect(paged == rows)
        for bad in ["LIMIT 0", "LIMIT 7 FROM nowhere", "LIMIT 7 AFTER K1/0", "LIMIT many"] {
            let reply = try client.ask("QUERY payments commissioner \(commissioner) \(bad)")
            #expect(reply.first?.hasPrefix("ERR BAD_REQUEST ") == true, "\(bad): \(reply)")
        }
        #expect(try client.ask("QUERY quality provider P0001 LIMIT 5").first?.hasPrefix("ERR BAD_REQUEST ") == true)

        let status = try JSONParser.parse(String(try client.request("STATUS").dropFirst(3)))
        let readModels = status["projections"]?.arrayValue?.first?["readModels"]
        #expect(readModels?["serving"]?.boolValue == true && readModels?["position"]?.int64Value == Int64(count))

        let store = daemon.dataDirectory + "/read-models"
        #expect(try Self.mode(of: store) == 0o700)
        #expect(try Self.mode(of: store + "/data.mdb") == 0o600)
        #expect(daemon.stop() == 0)

        // A clean restart finds the store at the restored position and reads it at once.
        try daemon.start()
        #expect(try daemon.connect().ask("QUERY AFTER \(count) payments commissioner \(commissioner)") == whole)
        #expect(!daemon.log.contains("read models written afresh"), "\(daemon.log)")
        #expect(daemon.stop() == 0)

        // A damaged store is removed and made afresh; the answers stay the same.
        let data = try FileHandle(forWritingTo: URL(fileURLWithPath: store + "/data.mdb"))
        try data.truncate(atOffset: 100)
        try data.close()
        try daemon.start()
        #expect(try daemon.connect().ask("QUERY AFTER \(count) payments commissioner \(commissioner)") == whole)
        #expect(daemon.log.contains("cannot open the read models; making them afresh"))
        #expect(daemon.log.contains("read models written afresh"))
    }

    @Test(
        "a correction of a provider's scale rewrites the contracts it delivers in place: answered throughout, as a store written afresh answers"
    )
    func providerCorrectionInPlace() throws {
        var scenario = Scenario(
            seed: 8,
            size: ScenarioSize(commissioners: 1, providers: 12, consortia: 2, cases: 120, concurrentCases: 12)
        )
        var events = [ProposedDomainEvent]()
        while let event = scenario.next() { events.append(event) }
        let registries = ["commissioner-", "provider-", "consortium-"]
        let split = events.firstIndex { event in !registries.contains { event.stream.hasPrefix($0) } } ?? events.count
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        try daemon.start()
        let client = try daemon.connect()
        let (_, commissioner) = try client.append(events[..<split])
        // Every provider's scale changes (an SME's to large, the others' to micro) before any contract is agreed, so
        // that retracting one change flips the provider's SME status in every contract it delivers.
        var changes = [String: String]()
        for event in events[..<split] where event.type == "provider-registered" {
            let id = String(format: "0190f3a0-7c1e-7d2a-9b51-%012x", changes.count + 1)
            let scale = event.data["scale"]?.stringValue ?? ""
            let data: JSONValue = [
                "scale": .string(["micro", "small"].contains(scale) ? "large" : "micro"), "effective": "2026-01-01",
            ]
            let object: JSONValue = ["id": .string(id), "type": "provider-scale-changed", "data": data]
            #expect(try client.request("APPEND \(event.stream) any \(object.canonicalString)").hasPrefix("OK "))
            changes[String(event.stream.dropFirst("provider-".count))] = id
        }
        _ = try client.append(events[split...])
        let count = events.count + changes.count
        // The provider with the most rows.
        let provider = try #require(
            try changes.keys.sorted().max { first, second in
                try client.ask("QUERY AFTER \(count) payments provider \(first)").count
                    < client.ask("QUERY AFTER \(count) payments provider \(second)").count
            }
        )
        let queries = [
            "market commissioner \(commissioner)", "payments provider \(provider)",
            "payments commissioner \(commissioner)", "quality provider \(provider)",
        ]
        let before = try queries.map { try client.ask("QUERY AFTER \(count) \($0)") }

        // One client asks again and again while another appends the correction: every answer is whole.
        let replies = Replies()
        let socket = daemon.socketPath
        let asker = Thread {
            guard let asking = try? LineClient(path: socket) else { return }
            while !replies.done.load(ordering: .relaxed) {
                guard let reply = try? asking.ask("QUERY \(queries[0])") else { break }
                replies.lines.withLock { $0.append(String(reply.last?.prefix(4) ?? "")) }
            }
        }
        asker.start()
        Thread.sleep(forTimeInterval: 0.3)
        let correction: JSONValue = [
            "id": "0190f3a0-7c1e-7d2a-9b51-100000000001", "type": "correction",
            "data": ["retracts": .string(try #require(changes[provider])), "reason": "a scale recorded in error"],
        ]
        #expect(try client.request("APPEND provider-\(provider) any \(correction.canonicalString)").hasPrefix("OK "))
        let after = try queries.map { try client.ask("QUERY AFTER \(count + 1) \($0)") }
        Thread.sleep(forTimeInterval: 0.3)
        replies.done.store(true, ordering: .relaxed)
        while asker.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        let seen = replies.lines.withLock { $0 }
        #expect(seen.count > 10)
        #expect(seen.allSatisfy { $0 == "END " }, "\(Set(seen))")
        #expect(after[0] != before[0], "the market's SME share changed")
        // Written afresh only when the ledger was new and empty.
        let afreshWrites = { daemon.log.split(separator: "\n").filter { $0.contains("read models written afresh") } }
        #expect(afreshWrites().map { $0.contains("position=0 ") } == [true], "\(daemon.log)")

        // The store written afresh from the log answers the same.
        #expect(daemon.stop() == 0)
        try FileManager.default.removeItem(atPath: daemon.dataDirectory + "/read-models")
        try daemon.start()
        let afresh = try daemon.connect()
        #expect(try queries.map { try afresh.ask("QUERY AFTER \(count + 1) \($0)") } == after)
        #expect(afreshWrites().contains { $0.contains("position=\(count + 1) ") })
    }

    @Test("read models behind or ahead of the checkpoint (a crash, a system crash) resume from their position")
    func resumeAfterCrash() throws {
        var scenario = Scenario(seed: 12, size: .tiny)
        var events = [ProposedDomainEvent]()
        while let event = scenario.next() { events.append(event) }
        let half = events.count / 2
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        try daemon.start()
        let (_, commissioner) = try daemon.connect().append(events[..<half])
        #expect(daemon.stop() == 0)
        // The store as a system crash may leave it: behind the checkpoint (its last commits undone).
        let store = daemon.dataDirectory + "/read-models"
        let behind = daemon.directory.appending("read-models-behind")
        try FileManager.default.copyItem(atPath: store, toPath: behind)

        try daemon.start()
        var client = try daemon.connect()
        _ = try client.append(events[half...])
        let query = "QUERY AFTER \(events.count) payments commissioner \(commissioner)"
        let whole = try client.ask(query)
        #expect(whole.count > 5)
        #expect(daemon.stop() == 0)
        try FileManager.default.removeItem(atPath: store)
        try FileManager.default.moveItem(atPath: behind, toPath: store)
        try daemon.start()
        #expect(try daemon.connect().ask(query) == whole)
        #expect(daemon.log.contains("read models resume from their position"))

        // Ahead of the checkpoint: killed a moment after an append, before the checkpoint (every 5 s) saved it.
        client = try daemon.connect()
        #expect(
            try client.request(
                #"APPEND x-note any {"id":"0190f3a0-7c1e-7d2a-9b51-0000000000a1","type":"x-note","data":{}}"#
            ).hasPrefix("OK ")
        )
        var projection: JSONValue = [:]
        for _ in 0..<100 {
            let status = try JSONParser.parse(String(try client.request("STATUS").dropFirst(3)))
            projection = try #require(status["projections"]?.arrayValue?.first)
            if projection["readModels"]?["position"]?.int64Value == Int64(events.count + 1) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let checkpoint = try #require(projection["checkpoint"]?.int64Value)
        #expect(
            projection["readModels"]?["position"]?.int64Value == Int64(events.count + 1) && checkpoint <= events.count
        )
        #expect(daemon.stop(signal: SIGKILL) != 0)
        try daemon.start()
        // The same rows, as of the note's position.
        let rows = { (reply: [String]) in reply.filter { $0.hasPrefix("ROW ") } }
        #expect(rows(try daemon.connect().ask(query)) == rows(whole))
        #expect(!daemon.log.contains("read models written afresh"))
    }

    /// Starts `daemon` (with `arguments`) and appends the history `Scenario(seed:size:)` generates; returns a client,
    /// how many events were appended and the first commissioner.
    static func load(
        _ daemon: DaemonProcess,
        seed: UInt64,
        size: ScenarioSize,
        arguments: [String] = []
    ) throws -> (client: LineClient, count: Int, commissioner: String) {
        var scenario = Scenario(seed: seed, size: size)
        try daemon.start(arguments)
        let client = try daemon.connect()
        let (count, commissioner) = try client.append(&scenario)
        return (client, count, commissioner)
    }

    static func mode(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
}

/// What a thread asking queries saw, and when it is to stop.
private final class Replies: Sendable {
    let lines = Mutex([String]())
    let done = Atomic(false)
}

extension LineClient {
    /// Appends every event of `scenario` (as `append(_:)` of a sequence does).
    func append(_ scenario: inout Scenario) throws -> (count: Int, commissioner: String) {
        var events = [ProposedDomainEvent]()
        while let event = scenario.next() { events.append(event) }
        return try append(events)
    }

    /// Appends `events`, pipelined (the replies read every 200 requests: a client that never reads stops the daemon
    /// reading its requests); returns how many, and the first commissioner registered.
    func append(_ events: some Sequence<ProposedDomainEvent>) throws -> (count: Int, commissioner: String) {
        var count = 0
        var commissioner = ""
        func readReplies(_ replies: Int) throws {
            for _ in 0..<replies { try #require(try readLine(timeout: 30)?.hasPrefix("OK ") == true) }
        }
        for event in events {
            let object: JSONValue = [
                "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
            ]
            if commissioner.isEmpty, event.stream.hasPrefix("commissioner-") {
                commissioner = String(event.stream.dropFirst("commissioner-".count))
            }
            try send("APPEND \(event.stream) any \(object.canonicalString)")
            count += 1
            if count % 200 == 0 { try readReplies(200) }
        }
        try readReplies(count % 200)
        return (count, commissioner)
    }

    /// Sends `query` and reads its reply: the lines up to `END`, or the one `ERR` line.
    fileprivate func ask(_ query: String) throws -> [String] {
        try send(query)
        return try readSequence(timeout: 30)
    }
}

@Suite("Read-model snapshots", .serialized)
struct ReadModelSnapshotTests {
    @Test(
        "515 clients leaving large answers unread (more than LMDB's default 510 reader slots) leave room for others",
        .timeLimit(.minutes(4))
    )
    func everyConnectionMayHoldASnapshot() throws {
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        let config = daemon.directory.appending("config.json")
        try #"{"limits":{"subscriberStallSeconds":120}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let (client, count, commissioner) = try ReadModelDaemonTests.load(
            daemon,
            seed: 7,
            size: ScenarioSize(commissioners: 1, providers: 12, consortia: 2, cases: 260, concurrentCases: 20),
            arguments: ["--config", config]
        )
        let query = "QUERY AFTER \(count) payments commissioner \(commissioner)"
        let whole = try client.ask(query)
        // Larger than a socket's buffer and a part queued in the daemon, so an unread answer holds its snapshot.
        #expect(whole.reduce(0) { $0 + $1.utf8.count } > 1 << 20)

        let stalled = try (0..<515).map { _ in try daemon.connect() }
        for other in stalled { try other.send(query) }
        var used: Int64 = 0
        let deadline = Date().addingTimeInterval(60)
        while used < 515, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            let status = try JSONParser.parse(String(try client.request("STATUS").dropFirst(3)))
            used = status["projections"]?.arrayValue?.first?["readModels"]?["readers"]?["used"]?.int64Value ?? 0
        }
        #expect(used >= 515, "snapshots held by the unread answers")
        #expect(try daemon.connect().ask(query) == whole)
        withExtendedLifetime(stalled) {}
    }
}
