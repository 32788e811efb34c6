import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// Hostile and malformed input over the socket: each case gets a clear `ERR` code, writes nothing, and leaves the
/// daemon and other connections serving. (Cases already in `ProtocolBehaviourTests` are not repeated.)
@Suite("Bad input over the socket", .serialized)
final class BadInputTests {
    let daemon: DaemonProcess

    init() throws {
        daemon = try DaemonProcess()
        try daemon.start()
    }

    deinit {
        daemon.stop()
    }

    @Test("malformed lines get a clear ERR code and write nothing", .timeLimit(.minutes(1)))
    func malformedLines() throws {
        let client = try daemon.connect()
        let bystander = try daemon.connect()
        #expect(try client.request(#"APPEND seed any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#).hasPrefix("OK "))
        let head = try Self.status("head", of: bystander)
        for refused in Self.refusedLines {
            try client.send(bytes: refused.bytes + [0x0A])
            let line = try #require(try client.readLine(timeout: 20), "\(refused.name): connection closed")
            #expect(line.hasPrefix("ERR \(refused.code) {"), "\(refused.name): \(line.prefix(200))")
            if let field = refused.field {
                #expect(line.contains(#""field":"\#(field)""#), "\(refused.name): \(line.prefix(200))")
            }
        }
        #expect(try Self.status("head", of: bystander) == head, "nothing was written")
        #expect(try client.request("PING") == "PONG")
        #expect(try bystander.request("PING") == "PONG")
        #expect(try client.request("VERIFY").hasPrefix("OK "))
    }

    @Test("1,000 connections opened and abandoned leave the daemon serving at its baseline", .timeLimit(.minutes(1)))
    func abandonedConnections() throws {
        let observer = try daemon.connect()
        let baseline = try Self.connections(settlingAt: 1, of: observer)
        #expect(baseline == 1, "only the observer is connected before")
        var abandoned = [LineClient]()
        for index in 0..<1000 {
            let connection = try daemon.connect()
            switch index % 3 {
            case 0: try connection.send(bytes: Array(#"APPEND abandoned any {"id":"#.utf8))
            case 1: try connection.send("PING")
            default: break
            }
            abandoned.append(connection)
        }
        #expect(try observer.request("PING") == "PONG")
        #expect(try Self.connections(settlingAt: baseline + 1000, of: observer) == baseline + 1000)
        abandoned.removeAll()
        #expect(try Self.connections(settlingAt: baseline, of: observer) == baseline)
        try observer.send("READ abandoned")
        #expect(try observer.readSequence() == [#"END {"count":0,"next":1}"#])
        #expect(try daemon.connect().request("PING") == "PONG")
    }

    @Test("a flood of pipelined requests from one client does not hold up another", .timeLimit(.minutes(2)))
    func pipelinedFlood() throws {
        let socket = daemon.socketPath
        let batches = 20
        let answered = Atomic<Int>(0)
        let group = DispatchGroup()
        group.enter()
        Thread {
            defer { group.leave() }
            guard let flooder = try? LineClient(path: socket) else { return }
            let batch = Array(String(repeating: "PING\n", count: 1000).utf8)
            for _ in 0..<batches {
                guard (try? flooder.send(bytes: batch)) != nil else { return }
                for _ in 0..<1000 where (try? flooder.readLine(timeout: 30)) == "PONG" {
                    answered.add(1, ordering: .relaxed)
                }
            }
        }.start()
        let other = try daemon.connect()
        var slowest = 0.0
        for _ in 0..<50 {
            let started = Date()
            #expect(try other.request("STATUS", timeout: 5).hasPrefix("OK "))
            slowest = max(slowest, Date().timeIntervalSince(started))
        }
        #expect(slowest < 2, "slowest answer to the other client: \(slowest) s")
        group.wait()
        #expect(answered.load(ordering: .relaxed) == batches * 1000)
    }

    /// `STATUS` connections once it reaches `target`, or after 20 s.
    static func connections(settlingAt target: UInt64, of client: LineClient) throws -> UInt64 {
        let deadline = Date().addingTimeInterval(20)
        var connections = try status("connections", of: client)
        while connections != target, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            connections = try status("connections", of: client)
        }
        return connections
    }

    /// A number field of the `STATUS` reply.
    static func status(_ name: String, of client: LineClient) throws -> UInt64 {
        try DaemonLifecycleTests.number(name, of: try client.request("STATUS"))
    }

    /// A line the daemon must refuse: what it is, its bytes, the error code and (for invalid events) the field.
    struct Refused {
        let name: String
        let bytes: [UInt8]
        let code: String
        var field: String?
    }

    /// An `APPEND` of one event with the given stream, type and data (raw bytes, so they may be invalid).
    static func append(stream: [UInt8] = Array("bad".utf8), type: String = "x-t", data: [UInt8]) -> [UInt8] {
        Array("APPEND ".utf8) + stream + Array(#" any {"id":"\#(uuid(2))","type":"\#(type)","data":"#.utf8) + data
            + Array("}".utf8)
    }

    /// A `payment-made` with `amountPence` set to the given literal.
    static func payment(_ amount: String) -> [UInt8] {
        append(
            stream: Array("contract-K7".utf8),
            type: "payment-made",
            data: Array(#"{"period":"2026-10","amountPence":\#(amount),"paidOn":"2026-11-21"}"#.utf8)
        )
    }

    static let refusedLines: [Refused] = [
        Refused(
            name: "invalid UTF-8 in a JSON string",
            bytes: append(data: [0x7B, 0x22, 0x6B, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]),
            code: "BAD_JSON"
        ),
        Refused(
            name: "invalid UTF-8 in a stream name",
            bytes: append(stream: [0x62, 0xFF], data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(name: "overlong UTF-8 encoding", bytes: Array("READ ".utf8) + [0xC0, 0xAF], code: "BAD_REQUEST"),
        Refused(
            name: "arrays nested 100,000 deep",
            bytes: append(
                data: Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
            ),
            code: "BAD_JSON"
        ),
        Refused(
            name: "objects nested 100,000 deep",
            bytes: append(
                data: Array(
                    (String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)).utf8
                )
            ),
            code: "BAD_JSON"
        ),
        Refused(
            name: "a 100-digit number",
            bytes: append(data: Array(#"{"n":\#(String(repeating: "9", count: 100))}"#.utf8)),
            code: "BAD_JSON"
        ),
        Refused(
            name: "money beyond Int64",
            bytes: payment("99999999999999999999"),
            code: "INVALID_EVENT",
            field: "data.amountPence"
        ),
        Refused(
            name: "money with a huge exponent",
            bytes: payment("1e400"),
            code: "INVALID_EVENT",
            field: "data.amountPence"
        ),
        Refused(name: "money as a float", bytes: payment("1900.50"), code: "INVALID_EVENT", field: "data.amountPence"),
        Refused(
            name: "money with an exponent",
            bytes: payment("19e4"),
            code: "INVALID_EVENT",
            field: "data.amountPence"
        ),
        Refused(name: "negative money", bytes: payment("-500"), code: "INVALID_EVENT", field: "data.amountPence"),
        Refused(
            name: "money as a string",
            bytes: payment(#""190000""#),
            code: "INVALID_EVENT",
            field: "data.amountPence"
        ),
        Refused(
            name: "duplicate keys inside data",
            bytes: append(data: Array(#"{"a":1,"b":{"c":1,"c":2}}"#.utf8)),
            code: "BAD_JSON"
        ),
        Refused(
            name: "a NUL byte inside a JSON string",
            bytes: append(data: Array(#"{"k":"a"#.utf8) + [0] + Array(#"b"}"#.utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(
            name: "an escaped NUL in the type",
            bytes: append(type: #"x-\u0000"#, data: Array("{}".utf8)),
            code: "INVALID_EVENT",
            field: "type"
        ),
        Refused(name: "an unknown verb", bytes: Array("FROBNICATE now".utf8), code: "UNKNOWN_COMMAND"),
        Refused(name: "a verb in another script", bytes: Array("ПИНГ".utf8), code: "UNKNOWN_COMMAND"),
        Refused(name: "APPEND without arguments", bytes: Array("APPEND".utf8), code: "BAD_REQUEST"),
        Refused(name: "APPEND without events", bytes: Array("APPEND s any".utf8), code: "BAD_REQUEST"),
        Refused(name: "READ without a stream", bytes: Array("READ".utf8), code: "BAD_REQUEST"),
        Refused(name: "READ with too many arguments", bytes: Array("READ s 1 2 3".utf8), code: "BAD_REQUEST"),
        Refused(name: "REBUILD without a projection", bytes: Array("REBUILD".utf8), code: "BAD_REQUEST"),
        Refused(name: "STATUS with an argument", bytes: Array("STATUS now".utf8), code: "BAD_REQUEST"),
        Refused(name: "PING with JSON", bytes: Array("PING {}".utf8), code: "BAD_REQUEST"),
        Refused(name: "READ of a stream with a slash", bytes: Array("READ a/b".utf8), code: "BAD_REQUEST"),
        Refused(name: "READ of a path", bytes: Array("READ ../../etc/passwd".utf8), code: "BAD_REQUEST"),
        Refused(
            name: "APPEND to a stream with a slash",
            bytes: append(stream: Array("case/C7".utf8), data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(
            name: "APPEND to an absolute path",
            bytes: append(stream: Array("/tmp/x".utf8), data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(
            name: "APPEND to a stream with a tab",
            bytes: append(stream: Array("a\tb".utf8), data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(
            name: "APPEND to a stream with an escape",
            bytes: append(stream: Array("a\u{1B}[2Jb".utf8), data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
        Refused(
            name: "APPEND to a stream with DEL",
            bytes: append(stream: [0x61, 0x7F], data: Array("{}".utf8)),
            code: "BAD_REQUEST"
        ),
    ]
}
