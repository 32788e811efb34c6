import Foundation
import LedgerClient
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import Testing

@Suite("Durable consumers against a real ledgerd")
struct ConsumerTests {
    /// Appends `count` events of type `x-t` to `stream`, ids from `first` on, 100 per request.
    private func fill(_ ledger: LedgerConnection, _ stream: String, from first: Int, count: Int) async throws {
        for start in stride(from: first, to: first + count, by: 100) {
            _ = try await ledger.append(to: stream, events: (start..<min(start + 100, first + count)).map { event($0) })
        }
    }

    @Test(
        "a consumer dropped mid-stream resumes after its durable acknowledgement: nothing before it, everything after",
        .timeLimit(.minutes(3))
    )
    func resumesAfterAcknowledgement() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        try await fill(ledger, "work", from: 1, count: 3000)
        let first = ledger.consumer("billing")
        var seen = 0
        while let event = try await first.next() {
            seen += 1
            if event.position % 100 == 0 { try await first.ack(event.position) }
            if event.position == 1234 { break }
        }
        #expect(seen == 1234)
        let acked = await first.close()
        #expect(acked == 1200)

        // A second turn is dropped without UNSUBSCRIBE after acknowledging 1,700: its successor starts at 1,701 at
        // the latest (the ACK may still be in flight when the connection goes) and never before 1,201.
        let second = ledger.consumer("billing")
        var positions = [UInt64]()
        while let event = try await second.next() {
            positions.append(event.position)
            if event.position == 1700 {
                try await second.ack(1700)
                break
            }
        }
        #expect(positions.first == 1201 && positions.count == 500)
        let dropped = Task { await second.close() }
        dropped.cancel()
        _ = await dropped.value

        try await fill(ledger, "work", from: 3001, count: 500)
        let third = ledger.consumer("billing")
        var resumed = [UInt64]()
        while let event = try await third.next() {
            resumed.append(event.position)
            if event.position == 3500 { break }
        }
        let start = try #require(resumed.first)
        #expect((1201...1701).contains(start))
        #expect(resumed == Array(start...3500))
        await third.close()
        await ledger.close()
    }

    @Test(
        "kill -9 while a consumer acknowledges loses no confirmed acknowledgement",
        .timeLimit(.minutes(3))
    )
    func survivesKill() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        try await fill(ledger, "work", from: 1, count: 2000)
        await ledger.close()
        let consumer = LedgerConsumer("audit", socketPath: daemon.socketPath, reconnect: .init(giveUpAfter: .zero))
        var confirmed: UInt64 = 0
        do {
            while let event = try await consumer.next() {
                try await consumer.ack(event.position)
                if event.position % 250 == 0 { confirmed = await consumer.flush() }
                if event.position == 1500 { _ = daemon.stop(signal: SIGKILL) }
            }
        } catch {
            // The daemon is gone: the consumer gives up at once (giveUpAfter zero).
        }
        confirmed = max(confirmed, await consumer.acked)
        #expect(confirmed >= 1500)
        try daemon.start()
        defer { daemon.stop() }
        let again = LedgerConsumer("audit", socketPath: daemon.socketPath)
        let next = try #require(try await again.next())
        #expect(next.position > confirmed, "redelivered \(next.position) after confirming \(confirmed)")
        #expect(next.position <= 1501)
        await again.close()
    }

    @Test(
        "a standby takes over within a second of the holder going, from the durable position",
        .timeLimit(.minutes(3))
    )
    func standbyTakesOver() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        try await fill(ledger, "work", from: 1, count: 10)
        let holder = ledger.consumer("billing")
        for _ in 1...4 { _ = try await holder.next() }
        try await holder.ack(4)

        let standby = ledger.consumer("billing")
        let takeover = Task { () async throws -> (UInt64?, ContinuousClock.Instant) in
            let position = try await standby.next()?.position
            return (position, ContinuousClock.now)
        }
        try await waitUntil { try await ledger.status().consumers.first?.standby == 1 }
        let status = try await ledger.status().consumers
        #expect(status.map(\.name) == ["billing"] && status.first?.active == true)
        #expect(await holder.close() == 4)
        let closed = ContinuousClock.now
        let (position, tookOver) = try await takeover.value
        #expect(position == 5)
        #expect(tookOver - closed < .seconds(1), "\(daemon.log.suffix(2000))")
        await standby.close()
        await ledger.close()
    }

    @Test(
        "consumers filter by type and stream prefix; STATUS and METRICS give their lag; limits.maxConsumers holds",
        .timeLimit(.minutes(3))
    )
    func filtersStatusAndLimit() async throws {
        let daemon = try DaemonProcess()
        try daemon.start(configuration: #"{"limits":{"maxConsumers":2}}"#)
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        _ = try await ledger.append(to: "notes-1", events: [event(1, type: "x-a"), event(2, type: "x-b")])
        _ = try await ledger.append(to: "visits-1", events: [event(3, type: "x-a")])
        _ = try await ledger.append(to: "notes-2", events: [event(4, type: "x-a")])
        let notes = ledger.consumer("notes", filter: EventFilter(types: ["x-a"], streamPrefixes: ["notes-"]))
        var positions = [UInt64]()
        while let event = try await notes.next() {
            positions.append(event.position)
            try await notes.ack(event.position)
            if event.position == 4 { break }
        }
        #expect(positions == [1, 4])
        #expect(await notes.close() == 4)
        let other = ledger.consumer("other")
        _ = try await other.next()
        try await other.ack(1)
        #expect(await other.close() == 1)

        let status = try await ledger.status().consumers
        #expect(status.map(\.name) == ["notes", "other"])
        #expect(status.map(\.lag) == [0, 3] && status.allSatisfy { !$0.active })
        let metrics = try await ledger.metrics()
        #expect(metrics.contains(#"ledger_consumer_lag_events{consumer="other"} 3"#))
        #expect(metrics.contains(#"ledger_consumer_acked_position{consumer="notes"} 4"#))

        let third = ledger.consumer("third")
        do {
            _ = try await third.next()
            Issue.record("a third consumer was served past limits.maxConsumers 2")
        } catch {
            guard case .server(code: .overloaded, _, let details) = error else { throw error }
            #expect(details["limit"] == "limits.maxConsumers")
        }
        // The refused CONSUME leaves the connection free to subscribe.
        let raw = try daemon.connect()
        #expect(try raw.request("CONSUME fourth").hasPrefix(#"ERR OVERLOADED {"limit":"limits.maxConsumers""#))
        try raw.send("SUBSCRIBE 4")
        #expect(try raw.readLine()?.hasPrefix(#"EVENT {"position":4,"#) == true)
        await ledger.close()
    }

    @Test(
        "a one-thread client acknowledging every event of a backlog is not stalled: ACKs are read while a page waits",
        .timeLimit(.minutes(3))
    )
    func acknowledgesEveryEventOfABacklog() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        let padding = JSONValue.string(String(repeating: "x", count: 400))
        for start in stride(from: 1, to: 20_001, by: 500) {
            _ = try await ledger.append(
                to: "work",
                events: (start..<start + 500).map { event($0, data: ["p": padding]) }
            )
        }
        await ledger.close()
        // Blocking sends from the reading thread: a server that stopped reading while its replies wait would leave
        // both sides waiting until the stall limit dropped the consumer.
        let client = try LineClient(path: daemon.socketPath)
        try client.send("CONSUME every")
        var received = 0
        var confirmed = ""
        while confirmed != #"ACKED {"position":20000}"# {
            let line = try #require(try client.readLine(timeout: 30))
            if line.hasPrefix("EVENT ") {
                received += 1
                try client.send("ACK \(received)")
            } else if line.hasPrefix("ACKED ") {
                confirmed = line
            } else {
                #expect(line == #"LIVE {"position":20000}"#)
            }
        }
        #expect(received == 20_000)
    }

    @Test(
        "a holder going with an ACK in flight hands over once it is durable; an ACK repeated early is confirmed",
        .timeLimit(.minutes(3))
    )
    func handOverAfterInFlightAcknowledgements() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        try await fill(ledger, "work", from: 1, count: 2000)
        await ledger.close()
        for round in 1...20 {
            let name = "handover-\(round)"
            let holder = try LineClient(path: daemon.socketPath)
            try holder.send("CONSUME \(name)")
            for _ in 1...100 { _ = try holder.readLine() }
            let standby = try LineClient(path: daemon.socketPath)
            #expect(try standby.request("CONSUME \(name)") == #"STANDBY {"consumer":"\#(name)"}"#)
            try holder.send("ACK 50")
            holder.close()
            let first = try #require(try standby.readLine())
            #expect(first.hasPrefix(#"EVENT {"position":51,"#), "round \(round): \(first.prefix(40))")
            // The acknowledged position again, at once, before anything was sent on this connection.
            let again = try LineClient(path: daemon.socketPath)
            try again.send("CONSUME \(name)\nACK 50")
            #expect(try again.readLine() == #"STANDBY {"consumer":"\#(name)"}"#)
            standby.close()
            var lines = [String]()
            while let line = try again.readLine(), !line.hasPrefix("LIVE ") { lines.append(line) }
            #expect(lines.contains(#"ACKED {"position":50}"#) && !lines.contains { $0.hasPrefix("ERR ") })
            #expect(lines.first { $0.hasPrefix("EVENT ") }?.hasPrefix(#"EVENT {"position":51,"#) == true)
        }
    }

    /// Polls `condition` every 10 ms for up to 10 s.
    /// Waits for `condition`, for up to a minute: beside the full suite on two cores, other tests' blocking calls can
    /// hold the cooperative pool's threads for many seconds.
    private func waitUntil(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 60 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
