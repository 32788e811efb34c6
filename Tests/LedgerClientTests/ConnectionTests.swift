import LedgerClient
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import LedgerWire
import Testing

@Suite("LedgerConnection against a real ledgerd")
struct ConnectionTests {
    @Test("many requests pipelined on one connection each get their own reply, in order", .timeLimit(.minutes(3)))
    func pipelining() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)

        // 100 batches sent in one go land at positions in the order they were given.
        let batches = (1...100).map {
            AppendBatch(stream: "s-\($0 % 7)", events: [event($0, data: ["i": .number(.init($0))])])
        }
        let results = await ledger.append(batches)
        #expect(try results.map { try $0.get().first } == (1...100).map { UInt64($0) })

        // 300 tasks at once, each appending to and reading back its own stream, interleaved with pings.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 101...400 {
                group.addTask {
                    let stream = "own-\(index)"
                    let stored = try await ledger.append(to: stream, expected: .noStream, events: [event(index)])
                    #expect(stored.version == 1)
                    try await ledger.ping()
                    let page = try await ledger.read(stream: stream)
                    #expect(page.events.map(\.id) == [uuid(index)])
                    #expect(page.events.first?.position == stored.first)
                    #expect(page.next == 2)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await ledger.status().head == 400)
        await ledger.close()
    }

    @Test("wire errors arrive typed, with their details, and leave the connection usable", .timeLimit(.minutes(3)))
    func typedErrors() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        _ = try await ledger.append(to: "notes-1", expected: .noStream, events: [event(1), event(2)])

        do {
            _ = try await ledger.append(to: "notes-1", expected: .exact(1), events: [event(3)])
            Issue.record("a stale expected version was accepted")
        } catch {
            guard case .server(.wrongExpectedVersion, let message, let details) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message == "stream notes-1 is at version 2, expected 1")
            #expect(details["actual"] == 2)
            #expect(details["expected"] == 1)
        }

        let invalid = await #expect(throws: LedgerClientError.self) {
            try await ledger.append(
                to: "notes-1",
                events: [event(4), ["id": "not-a-uuid", "type": "x-t", "data": [:]]]
            )
        }
        #expect(invalid?.code == .invalidEvent)
        if case .server(_, _, let details) = invalid {
            #expect(details["index"] == 1)
            #expect(details["field"] == "id")
        }

        let badStream = await #expect(throws: LedgerClientError.self) {
            try await ledger.append(to: "case/1", events: [event(5)])
        }
        #expect(badStream?.code == .badRequest)

        let duplicate = await #expect(throws: LedgerClientError.self) {
            try await ledger.append(to: "notes-1", events: [event(1, data: ["changed": true])])
        }
        #expect(duplicate?.code == .duplicateID)

        // Arguments that would change the request line are refused before anything is sent.
        let injected = await #expect(throws: LedgerClientError.self) {
            try await ledger.read(stream: "a\nQUIT")
        }
        if case .invalidArgument = injected {
        } else {
            Issue.record("unexpected \(String(describing: injected))")
        }
        let clause = await #expect(throws: LedgerClientError.self) {
            try await ledger.query(["after", "9", "payments", "commissioner", "N01"])
        }
        #expect(
            clause?.description
                == "invalid argument: QUERY argument \"after\" cannot come first: it would be read as the AFTER clause"
        )

        // A retry of stored events is a duplicate, not an error.
        let retry = try await ledger.append(to: "notes-1", expected: .noStream, events: [event(1), event(2)])
        #expect(retry == AppendResult(first: 1, last: 2, version: 2, duplicate: true))
        try await ledger.ping()
        let hello = try await ledger.hello()
        #expect(hello.role == .ops)
        #expect(hello.head == 2)
        #expect(hello.maxLineBytes == 1_048_576)
        await ledger.close()
    }

    @Test("a missing socket is cannotConnect; a stopped daemon ends the connection", .timeLimit(.minutes(3)))
    func connectionFailures() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.appending("nobody.sock")
        do {
            _ = try await LedgerConnection.connect(to: missing)
            Issue.record("connected to a missing socket")
        } catch {
            guard case .cannotConnect(let path, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == missing)
            #expect(reason.contains("No such file"))
        }

        let daemon = try DaemonProcess()
        try daemon.start()
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        try await ledger.ping()
        #expect(daemon.stop() == 0)
        let error = await #expect(throws: LedgerClientError.self) { try await ledger.ping() }
        switch error {
        case .connectionClosed, .server(.shuttingDown, _, _): break
        default: Issue.record("unexpected \(String(describing: error))")
        }
        await ledger.close()
    }

    @Test("READALL pages keep each event's exact stored bytes", .timeLimit(.minutes(3)))
    func exactBytes() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let raw = try daemon.connect()
        let appended = try raw.request(
            #"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{"z":1.50,"a":"é\u0001","n":-0}}"#
        )
        #expect(appended.hasPrefix("OK "))
        try raw.send("READALL")
        let line = try #require(try raw.readSequence().first)

        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        let page = try await ledger.readAll(from: 1, limit: 10)
        #expect(page.next == 2)
        let stored = try #require(page.events.first)
        #expect("EVENT " + String(decoding: stored.bytes, as: UTF8.self) == line)
        #expect(stored.data["z"] == .number(try #require(JSONNumber(literal: "1.50"))))
        #expect(stored.stream == "s")
        #expect(stored.version == 1)
        let verified = try await ledger.verify()
        #expect(verified.verified == 1)
        #expect(verified.root == (try await ledger.status().root))
        await ledger.close()
    }
}
