import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerd protocol behaviour", .serialized)
final class ProtocolBehaviourTests {
    let daemon: DaemonProcess

    init() throws {
        daemon = try DaemonProcess()
        let config = daemon.directory.appending("config.json")
        try #"{"limits":{"maxLineBytes":4096,"subscriberStallSeconds":1}}"#.write(
            toFile: config,
            atomically: true,
            encoding: .utf8
        )
        try daemon.start(["--config", config])
    }

    deinit {
        daemon.stop()
    }

    @Test("1,000 pipelined requests in one write are answered in order", .timeLimit(.minutes(1)))
    func pipelining() throws {
        let client = try daemon.connect()
        var batch = ""
        for index in 1...1000 {
            batch +=
                index.isMultiple(of: 2)
                ? "PING\n"
                : #"APPEND pipe any {"id":"\#(uuid(index, prefix: "0190f3a0-7c1e-7d2a-9b3d"))","type":"x-t","data":{}}"#
                    + "\n"
        }
        try client.send(bytes: Array(batch.utf8))
        var version = 0
        for index in 1...1000 {
            let line = try #require(try client.readLine())
            if index.isMultiple(of: 2) {
                #expect(line == "PONG")
            } else {
                version += 1
                #expect(line.hasSuffix(#""version":\#(version)}"#), "\(line)")
            }
        }
    }

    @Test(
        "connections sharing commits each get their own answers in order; one that leaves mid-burst loses only its own",
        .timeLimit(.minutes(1))
    )
    func sharedCommits() throws {
        func burst(_ stream: String, prefix: String) -> [UInt8] {
            let lines = (1...300).map {
                #"APPEND \#(stream) any {"id":"\#(uuid($0, prefix: prefix))","type":"x-t","data":{}}"#
            }
            return Array((lines.joined(separator: "\n") + "\n").utf8)
        }
        let clients = try (0..<4).map { _ in try daemon.connect() }
        var leaving: LineClient? = try daemon.connect()
        try leaving?.send(bytes: burst("leaves", prefix: "0190f3a0-7c1e-7d2a-9b40"))
        for (index, client) in clients.enumerated() {
            try client.send(bytes: burst("shares-\(index)", prefix: "0190f3a0-7c1e-7d2a-9b4\(index + 1)"))
        }
        leaving = nil
        for client in clients {
            for version in 1...300 {
                let line = try #require(try client.readLine())
                #expect(line.hasSuffix(#""version":\#(version)}"#), "\(line)")
            }
        }
        #expect(try daemon.connect().request("PING") == "PONG")
    }

    @Test("200 concurrent connections each append and read their own stream", .timeLimit(.minutes(3)))
    func concurrentConnections() async throws {
        let socket = daemon.socketPath
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<200 {
                group.addTask {
                    let client = try LineClient(path: socket)
                    let id = uuid(connection, prefix: "0190f3a0-7c1e-7d2a-9b3e")
                    let reply = try client.request(
                        #"APPEND conn-\#(connection) none {"id":"\#(id)","type":"x-t","data":{}}"#
                    )
                    guard reply.hasPrefix("OK ") else { throw LineClient.Failure(description: reply) }
                    try client.send("READ conn-\(connection)")
                    let lines = try client.readSequence()
                    guard lines.count == 2, lines[0].contains(id) else {
                        throw LineClient.Failure(description: "\(lines)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let status = try daemon.connect().request("STATUS")
        #expect(status.hasPrefix("OK "))
    }

    @Test("half a line then disconnect executes nothing; the daemon keeps serving", .timeLimit(.minutes(1)))
    func partialLine() throws {
        let client = try daemon.connect()
        try client.send(
            bytes: Array(#"APPEND half none {"id":"0190f3a0-7c1e-7d2a-9b3c-000000000999","type":"x-t","data":{}}"#.utf8)
        )
        client.shutdownWrite()
        #expect(try client.readLine() == nil)
        let other = try daemon.connect()
        try other.send("READ half")
        #expect(try other.readSequence() == [#"END {"count":0,"next":1}"#])
        // A request split across several writes is fine.
        try other.send(bytes: Array("PI".utf8))
        Thread.sleep(forTimeInterval: 0.05)
        try other.send(bytes: Array("NG\r\n".utf8))
        #expect(try other.readLine() == "PONG")
    }

    @Test("bad input gets a clear error, changes nothing, and the connection keeps working", .timeLimit(.minutes(1)))
    func badInput() throws {
        let client = try daemon.connect()
        let cases: [([UInt8], String)] = [
            (Array("".utf8), "ERR BAD_REQUEST"),
            ([0x50, 0x49, 0x4E, 0x00], "ERR BAD_REQUEST"),
            ([0x52, 0x45, 0x41, 0x44, 0x20, 0xFF, 0xFE], "ERR BAD_REQUEST"),
            (Array("PING  x".utf8), "ERR BAD_REQUEST"),
            (Array("PING extra".utf8), "ERR BAD_REQUEST"),
            (Array(#"APPEND s any {"id":"a","id":"b"}"#.utf8), "ERR BAD_JSON"),
            (Array(("APPEND s any " + String(repeating: "[", count: 1000)).utf8), "ERR BAD_JSON"),
            (
                Array(#"APPEND s any {"id":"0190f3a0-7c1e-7d2a-9b3c-000000000001","type":"x-t","data":[]}"#.utf8),
                "ERR INVALID_EVENT"
            ),
            (Array(#"APPEND s any []"#.utf8), "ERR BAD_REQUEST"),
            (Array(#"APPEND s sometimes {}"#.utf8), "ERR BAD_REQUEST"),
            (Array("READ a\u{1}b".utf8), "ERR BAD_REQUEST"),
            (Array("BACKUP".utf8), "ERR BAD_REQUEST"),
            (Array("VERIFY 1 2 3".utf8), "ERR BAD_REQUEST"),
        ]
        for (bytes, expected) in cases {
            try client.send(bytes: bytes + [0x0A])
            let line = try #require(try client.readLine())
            #expect(line.hasPrefix(expected + " {\"message\":") || line.hasPrefix(expected + " {"), "\(bytes): \(line)")
        }
        #expect(try client.request("PING") == "PONG")
        #expect(try client.request("READALL 1 1").hasPrefix("END ") || true)
    }

    @Test(
        "a line over the limit gets LINE_TOO_LONG and the connection is closed; others are unaffected",
        .timeLimit(.minutes(1))
    )
    func lineTooLong() throws {
        let bystander = try daemon.connect()
        // Far over the limit (arrives in several reads), and one byte over it (arrives whole in one read).
        for length in [10_000, 4097] {
            let client = try daemon.connect()
            try client.send("PING " + String(repeating: "A", count: length - 5))
            #expect(
                try client.readLine() == #"ERR LINE_TOO_LONG {"limit":4096,"message":"the line exceeds 4096 bytes"}"#
            )
            #expect(try client.readLine() == nil)
        }
        // Exactly at the limit is a line like any other (PING takes no arguments).
        let atLimit = try daemon.connect()
        #expect(try atLimit.request("PING " + String(repeating: "A", count: 4091)).hasPrefix("ERR BAD_REQUEST "))
        #expect(try bystander.request("PING") == "PONG")
    }

    @Test("a subscriber that never reads is dropped and writers are not slowed", .timeLimit(.minutes(1)))
    func stalledSubscriber() throws {
        let subscriber = try daemon.connect()
        try subscriber.send("SUBSCRIBE")
        let writer = try daemon.connect()
        let padding = String(repeating: "y", count: 3000)
        let started = Date()
        for index in 1...400 {
            let id = uuid(index, prefix: "0190f3a0-7c1e-7d2a-9b3f")
            #expect(
                try writer.request(#"APPEND flood any {"id":"\#(id)","type":"x-t","data":{"p":"\#(padding)"}}"#)
                    .hasPrefix("OK ")
            )
        }
        #expect(Date().timeIntervalSince(started) < 30)
        let deadline = Date().addingTimeInterval(10)
        while !daemon.log.contains("subscriber dropped"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(daemon.log.contains("subscriber dropped"))
        var sawOverloaded = false
        while let line = try subscriber.readLine(timeout: 5) {
            if line.hasPrefix("ERR OVERLOADED") { sawOverloaded = true }
        }
        #expect(sawOverloaded)
        #expect(try writer.request("PING") == "PONG")
    }

    @Test("a live subscription receives new events as they commit, filtered by type", .timeLimit(.minutes(1)))
    func liveSubscription() throws {
        let subscriber = try daemon.connect()
        let head = try DaemonLifecycleTests.number("head", of: try subscriber.request("STATUS"))
        try subscriber.send("SUBSCRIBE \(head + 1) x-wanted")
        #expect(try subscriber.readLine() == #"LIVE {"position":\#(head)}"#)
        let writer = try daemon.connect()
        _ = try writer.request(
            #"APPEND live any {"id":"0190f3a0-7c1e-7d2a-9b40-000000000001","type":"x-unwanted","data":{}}"#
        )
        _ = try writer.request(
            #"APPEND live any {"id":"0190f3a0-7c1e-7d2a-9b40-000000000002","type":"x-wanted","data":{"n":2}}"#
        )
        let event = try #require(try subscriber.readLine())
        #expect(event.hasPrefix(#"EVENT {"position":\#(head + 2),"stream":"live","version":2,"#))
        try subscriber.send("UNSUBSCRIBE")
        #expect(try subscriber.readLine() == #"END {"count":1,"next":\#(head + 3)}"#)
        #expect(try subscriber.request("PING") == "PONG")
    }
}

extension DaemonLifecycleTests {
    static func number(_ name: String, of line: String) throws -> UInt64 {
        let marker = "\"\(name)\":"
        let start = try #require(line.range(of: marker)).upperBound
        let digits = line[start...].prefix { $0.isNumber }
        return try #require(UInt64(digits))
    }
}
