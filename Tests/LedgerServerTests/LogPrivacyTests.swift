import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Log lines carry ids, positions and codes, never what a client sent: a marker placed in event payloads, stream
/// names, arguments and broken lines never reaches the daemon's log, at any level, through a restart.
@Suite("No personal data in logs", .serialized)
struct LogPrivacyTests {
    /// Upper case and digits, so it is a valid stream name and identifier and survives upper-casing.
    static let marker = "PIIMARKER" + String(UInt64.random(in: 0...UInt64.max), radix: 16).uppercased()

    @Test("payloads, names and arguments never appear in the JSON log", .timeLimit(.minutes(2)))
    func markerNeverLogged() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("small-lines.json")
        try #"{"limits":{"maxLineBytes":4096}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--config", config, "--log-format", "json", "--log-level", "trace"]
        try daemon.start(arguments)
        let client = try daemon.connect()
        for (line, expected) in Self.requests {
            try client.send(bytes: Array(line.utf8) + [0x0A])
            let reply = try client.readSequence().last ?? ""
            #expect(reply.hasPrefix(expected), "\(line.prefix(80)): \(reply.prefix(200))")
        }
        try Self.subscribeAndLeave(client)
        try Self.brokenLines(daemon)
        #expect(try client.request("BACKUP nightly").hasPrefix("OK "))
        #expect(try client.request("REBUILD commissioning").contains(#""identical":true"#))
        #expect(daemon.stop() == 0)
        let first = daemon.log
        try daemon.start(arguments)
        #expect(try daemon.connect().request("VERIFY").hasPrefix("OK "))
        #expect(daemon.stop() == 0)

        for log in [first, daemon.log] {
            let lines = log.split(separator: "\n")
            for line in lines {
                #expect((try? JSONParser.parse(Array(line.utf8)))?["message"] != nil, "not a JSON log line: \(line)")
            }
            #expect(lines.contains { $0.contains(#""message":"serving""#) })
            #expect(lines.contains { $0.contains(#""message":"connection opened""#) }, "trace and debug lines ran")
            Self.expectNoMarker(in: log)
        }
        #expect(first.contains(#""message":"backup written""#) && first.contains(#""message":"projections rebuilt""#))
    }

    /// Fails when the marker is in `log` in any case, or hex-encoded.
    static func expectNoMarker(in log: String) {
        let hex = marker.utf8.map { String(format: "%02x", $0) }.joined()
        let lowered = log.lowercased()
        #expect(!lowered.contains(marker.lowercased()), "the marker is in the log:\n\(log)")
        #expect(!lowered.contains(hex), "the marker is in the log, hex-encoded")
    }

    /// A subscription filtered on a type holding the marker, ended by the client.
    static func subscribeAndLeave(_ client: LineClient) throws {
        try client.send("SUBSCRIBE 1 x-\(marker)")
        #expect(try client.readLine()?.hasPrefix("LIVE ") == true)
        try client.send("UNSUBSCRIBE")
        #expect(try client.readLine()?.hasPrefix("END ") == true)
    }

    /// An oversized line (which closes the connection), invalid UTF-8, and half a line left by a disconnect.
    static func brokenLines(_ daemon: DaemonProcess) throws {
        let oversized = try daemon.connect()
        let padding = String(repeating: marker, count: 20_000 / marker.count)
        try oversized.send(#"APPEND s any {"id":"\#(uuid(90))","type":"x-t","data":{"p":"\#(padding)"}}"#)
        let tooLong = try oversized.readLine()
        #expect(tooLong?.hasPrefix("ERR LINE_TOO_LONG ") == true, "\(tooLong ?? "closed")")
        let invalid = try daemon.connect()
        try invalid.send(bytes: Array(#"APPEND s any {"id":"\#(marker)"#.utf8) + [0xFF, 0x22, 0x7D, 0x0A])
        #expect(try invalid.readLine()?.hasPrefix("ERR BAD_JSON ") == true)
        let half = try daemon.connect()
        try half.send(bytes: Array(#"APPEND notes-\#(marker) any {"id":"\#(uuid(91))","data":"\#(marker)"#.utf8))
        half.shutdownWrite()
        _ = try half.readLine()
    }

    /// Requests with the marker in every place a client can put it, and the start of the reply each must get.
    static let requests: [(String, String)] = {
        let m = marker
        let note = #"{"id":"\#(uuid(3))","type":"x-note","data":{"text":"\#(m)"},"meta":{"actor":"\#(m)"}}"#
        return [
            (
                #"APPEND commissioner-LA1 none {"id":"\#(uuid(1))","type":"commissioner-registered","#
                    + #""data":{"name":"\#(m) Council","kind":"local-authority"}}"#, "OK "
            ),
            (
                #"APPEND case-C1 none {"id":"\#(uuid(2))","type":"need-assessed","data":{"personRef":"pr-\#(m)","#
                    + #""commissioner":"LA1","outcomes":[{"id":"A","measure":"\#(m) cooks"}],"#
                    + #""preferences":["\#(m) likes mornings"]},"meta":{"actor":"\#(m)"}}"#, "OK "
            ),
            ("APPEND notes-\(m) any \(note)", "OK "),
            ("APPEND notes-\(m) any \(note)", "OK "),
            ("READ notes-\(m)", "END "),
            ("READALL", "END "),
            (
                #"APPEND commissioner-LA2 none {"id":"\#(uuid(4))","type":"commissioner-registered","#
                    + #""data":{"name":"\#(m)","kind":"\#(m)"}}"#, "ERR INVALID_EVENT "
            ),
            (
                #"APPEND case-C2 none {"id":"\#(uuid(5))","type":"need-assessed","data":{"personRef":"\#(m) Smith","#
                    + #""commissioner":"LA1","outcomes":[],"preferences":[]}}"#, "ERR INVALID_EVENT "
            ),
            (
                #"APPEND case-C3 none {"id":"\#(uuid(6))","type":"need-assessed","data":{"personRef":"pr-1","#
                    + #""commissioner":"\#(m)","outcomes":[],"preferences":["\#(m)"]}}"#, "ERR INVALID_EVENT "
            ),
            (#"APPEND s any {"id":"\#(uuid(7))","type":"\#(m)","data":{"a":"\#(m)"}}"#, "ERR INVALID_EVENT "),
            (#"APPEND s any {"id":"\#(m)","type":"x-t","data":{}}"#, "ERR INVALID_EVENT "),
            (#"APPEND s any {"id":"\#(uuid(8))","type":"x-t","data":{},"recorded":"\#(m)"}"#, "ERR "),
            (#"APPEND s any {"id":"\#(m)"#, "ERR BAD_JSON "),
            (#"APPEND s any {"data":\#(m)}"#, "ERR BAD_JSON "),
            (
                #"APPEND notes-\#(m) any {"id":"\#(uuid(3))","type":"x-note","data":{"text":"\#(m)2"}}"#,
                "ERR DUPLICATE_ID "
            ),
            (
                #"APPEND notes-\#(m) none {"id":"\#(uuid(9))","type":"x-note","data":{"t":"\#(m)"}}"#,
                "ERR WRONG_EXPECTED_VERSION "
            ),
            (#"APPEND s \#(m) {"id":"\#(uuid(10))","type":"x-t","data":{}}"#, "ERR BAD_REQUEST "),
            (#"APPEND bad/\#(m) any {"id":"\#(uuid(11))","type":"x-t","data":{}}"#, "ERR BAD_REQUEST "),
            ("READ \(m)/x", "ERR BAD_REQUEST "),
            ("\(m) now", "ERR UNKNOWN_COMMAND "),
            ("FROB \(m)", "ERR UNKNOWN_COMMAND "),
            ("QUERY audit case \(m)", "ERR NOT_FOUND "),
            ("QUERY payments commissioner LA1 \(m)", "ERR BAD_REQUEST "),
            ("REBUILD \(m)", "ERR NOT_FOUND "),
            ("PROVE \(m)", "ERR BAD_REQUEST "),
            ("BACKUP ../\(m)", "ERR BAD_REQUEST "),
            ("BACKUP \(m)\u{1B}[2J", "ERR BAD_REQUEST "),
        ]
    }()
}
