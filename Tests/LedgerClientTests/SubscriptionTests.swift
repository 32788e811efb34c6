import LedgerClient
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import Testing

@Suite("LedgerSubscription against a real ledgerd")
struct SubscriptionTests {
    @Test("a subscription resumes after a daemon restart without losing or repeating events", .timeLimit(.minutes(3)))
    func resumesAcrossRestart() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let writer = try await LedgerConnection.connect(to: daemon.socketPath)
        _ = try await writer.append(to: "a", events: [event(1), event(2), event(3)])
        await writer.close()

        let subscription = LedgerSubscription(
            socketPath: daemon.socketPath,
            reconnect: ReconnectPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        )
        let (progress, seen) = AsyncStream<Int>.makeStream()
        let consumer = Task {
            var positions = [UInt64]()
            for try await event in subscription {
                positions.append(event.position)
                seen.yield(positions.count)
                if positions.count == 5 { break }
            }
            return positions
        }
        var counts = progress.makeAsyncIterator()
        while let count = await counts.next(), count < 3 {}

        #expect(daemon.stop() == 0)
        try daemon.start()
        let again = try await LedgerConnection.connect(to: daemon.socketPath)
        _ = try await again.append(to: "a", expected: .exact(3), events: [event(4), event(5)])
        await again.close()

        #expect(try await consumer.value == [1, 2, 3, 4, 5])
    }

    @Test("a subscriber dropped with ERR OVERLOADED reconnects and resumes in order", .timeLimit(.minutes(3)))
    func resumesAfterOverload() async throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("stall.json")
        try #"{"limits":{"subscriberStallSeconds":1}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let writer = try await LedgerConnection.connect(to: daemon.socketPath)
        // More than one server read page (1,000 events), and more than this client buffers.
        let padding = JSONValue.string(String(repeating: "x", count: 1000))
        let total = 1200
        let batches = stride(from: 1, through: total, by: 200).map { start in
            AppendBatch(stream: "big", events: (start..<start + 200).map { event($0, data: ["p": padding]) })
        }
        for result in await writer.append(batches) { _ = try result.get() }
        await writer.close()

        var iterator = LedgerSubscription(socketPath: daemon.socketPath).makeAsyncIterator()
        var positions = [try #require(try await iterator.next()).position]
        // Stop reading long enough for the server to give up on this subscriber.
        try await Task.sleep(for: .milliseconds(2500))
        while positions.count < total, let event = try await iterator.next() {
            positions.append(event.position)
        }
        #expect(positions == (1...UInt64(total)).map { $0 })
        #expect(daemon.log.contains("subscriber dropped"))
    }

    @Test("cancelling the iterating task ends a live subscription", .timeLimit(.minutes(3)))
    func cancellation() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let subscription = LedgerSubscription(socketPath: daemon.socketPath)
        let consumer = Task {
            var count = 0
            for try await _ in subscription { count += 1 }
            return count
        }
        let probe = try daemon.connect()
        while try !probe.request("STATUS").contains(#""connections":2,"#) {
            try await Task.sleep(for: .milliseconds(20))
        }
        consumer.cancel()
        #expect(try await consumer.value == 0)
        while try !probe.request("STATUS").contains(#""connections":1,"#) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test(
        "type and stream-prefix filters deliver only what passes both; a refused subscription throws",
        .timeLimit(.minutes(3))
    )
    func filters() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        _ = try await ledger.append(
            to: "mixed",
            events: [event(1, type: "x-a"), event(2, type: "x-b"), event(3, type: "x-a"), event(4, type: "x-b")]
        )
        _ = try await ledger.append(to: "notes-1", events: [event(5, type: "x-b"), event(6, type: "x-a")])
        _ = try await ledger.append(to: "visits-1", events: [event(7, type: "x-b")])
        _ = try await ledger.append(to: "notes-2", events: [event(8, type: "x-b")])
        var types = [String]()
        for try await event in ledger.subscribe(from: 2, filter: EventFilter(types: ["x-b"])) {
            types.append("\(event.type)@\(event.position)")
            if event.position == 8 { break }
        }
        #expect(types == ["x-b@2", "x-b@4", "x-b@5", "x-b@7", "x-b@8"])
        var streams = [String]()
        let filter = EventFilter(types: ["x-b"], streamPrefixes: ["notes-", "visits-"])
        for try await event in ledger.subscribe(filter: filter) {
            streams.append("\(event.stream)@\(event.position)")
            if event.position == 8 { break }
        }
        #expect(streams == ["notes-1@5", "visits-1@7", "notes-2@8"])

        var refused = ledger.subscribe(filter: EventFilter(types: ["bad type"])).makeAsyncIterator()
        let error = await #expect(throws: LedgerClientError.self) { try await refused.next() }
        if case .invalidArgument = error {
        } else {
            Issue.record("unexpected \(String(describing: error))")
        }
        await ledger.close()
    }
}
