import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Logs as journald reads them: the `<N>` priority prefix when stderr is the journal stream `$JOURNAL_STREAM` names,
/// JSON metadata numbers as numbers, and fatal start-up errors in the chosen log format.
@Suite("Logs for journald", .serialized)
struct JournalLogTests {
    @Test(
        "under journald, text lines carry their syslog priority: info <6>, notice <5>, warning <4>",
        .timeLimit(.minutes(2))
    )
    func textPriorities() throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        let daemon = try DaemonProcess(executable: try Self.journalWrapper(in: directory))
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.request("BACKUP twice").hasPrefix("OK "))
        #expect(try client.request("BACKUP twice").hasPrefix("ERR "))
        #expect(daemon.stop() == 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.wholeMatch(of: /<[2-7]>\d{4}-.*/) != nil, "no priority prefix: \(line)")
        }
        #expect(lines.contains { $0.hasPrefix("<6>") && $0.contains(" info ledgerd:") && $0.hasSuffix(" serving") })
        #expect(lines.contains { $0.hasPrefix("<5>") && $0.hasSuffix(" new ledger created") })
        #expect(lines.contains { $0.hasPrefix("<4>") && $0.contains(" warning ") && $0.hasSuffix(" backup failed") })
    }

    @Test("JOURNAL_STREAM naming another file than stderr (inherited from a parent) leaves lines unprefixed")
    func inheritedJournalStream() throws {
        let daemon = try DaemonProcess()
        var info = stat()
        #expect(stat("/dev/null", &info) == 0)
        daemon.environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        try daemon.start()
        #expect(daemon.stop() == 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix(" serving") })
        #expect(lines.allSatisfy { $0.first?.isNumber == true }, "\(daemon.log)")
    }

    @Test("JSON lines: a numeric priority, metadata numbers as numbers; under journald <N> before each object")
    func jsonNumbersAndPriority() throws {
        for journal in [false, true] {
            let directory = try TemporaryDirectory(prefix: "journal")
            let daemon = try DaemonProcess(
                executable: journal ? try Self.journalWrapper(in: directory) : DaemonProcess.binary
            )
            try daemon.start(["--log-format", "json"])
            let client = try daemon.connect()
            #expect(try client.request(#"APPEND s any {"id":"\#(uuid(1))","type":"x-t","data":{}}"#).hasPrefix("OK "))
            #expect(try client.request("BACKUP b").hasPrefix("OK "))
            #expect(daemon.stop() == 0)
            var objects = [JSONValue]()
            for line in daemon.log.split(separator: "\n") {
                var text = Substring(line)
                if journal {
                    let prefix = try #require(line.prefixMatch(of: /<([0-7])>/), "no priority prefix: \(line)")
                    text = line[prefix.range.upperBound...]
                    let object = try JSONParser.parse(Array(text.utf8))
                    #expect(object["priority"]?.int64Value == Int64(prefix.output.1), "\(line)")
                }
                objects.append(try JSONParser.parse(Array(text.utf8)))
            }
            let serving = try #require(objects.first { $0["message"]?.stringValue == "serving" })
            #expect(serving["priority"]?.int64Value == 6)
            #expect(serving["metadata"]?["head"] == .number(JSONNumber(0)), "\(serving)")
            #expect(serving["metadata"]?["staleReadersCleared"]?.int64Value != nil, "\(serving)")
            #expect(serving["metadata"]?["socket"]?.stringValue == daemon.socketPath)
            let backup = try #require(objects.first { $0["message"]?.stringValue == "backup written" })
            #expect(backup["priority"]?.int64Value == 5)
            #expect(backup["metadata"]?["position"] == .number(JSONNumber(1)), "\(backup)")
            #expect(backup["metadata"]?["bytes"]?.int64Value != nil, "\(backup)")
            let stopped = try #require(objects.first { $0["message"]?.stringValue == "stopped" })
            #expect(stopped["metadata"]?["head"] == .number(JSONNumber(1)), "\(stopped)")
        }
    }

    @Test("with JSON logs, a fatal start-up error is one JSON object: level critical, the message, the exit code")
    func fatalErrorsAsJSON() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("bad.json")
        let cases: [(config: String, flags: [String], code: Int, message: String)] = [
            (#"{"socket":{"mode":"0777"}}"#, ["--log-format", "json"], 2, "configuration key socket.mode: 0777"),
            // The file's own log.format, although another key of it is wrong.
            (#"{"log":{"format":"json"},"metrics":{"fiel":"x"}}"#, [], 2, "configuration key metrics.fiel"),
            (#"{"log":{"format":"json"}}"#, ["--log-level", "loud"], 2, "--log-level must be one of"),
            (#"{"log":{"format":"json"},"checkpoints":{"keyFile":"/nonexistent/key"}}"#, [], 6, "/nonexistent/key"),
        ]
        for (text, flags, code, message) in cases {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            #expect(try daemon.runExpectingFailure(["--config", config] + flags) == Int32(code))
            // A configuration error stops ledgerd before anything else is logged; a bad key file, once the ledger
            // is open (which may log at notice level first).
            let lines = daemon.log.split(separator: "\n")
            #expect(code == 2 ? lines.count == 1 : !lines.isEmpty, "\(text): \(daemon.log)")
            for line in lines { _ = try JSONParser.parse(Array(line.utf8)) }
            let object = try JSONParser.parse(Array((lines.last ?? "").utf8))
            #expect(object["level"]?.stringValue == "critical")
            #expect(object["priority"]?.int64Value == 2)
            #expect(object["message"]?.stringValue?.contains(message) == true, "\(text): \(daemon.log)")
            #expect(object["metadata"]?["exitCode"] == .number(JSONNumber(code)), "\(text): \(daemon.log)")
        }
        try #"{"socket":{"mode":"0777"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
        #expect(daemon.log.hasPrefix("ledgerd: configuration key socket.mode: 0777"), "\(daemon.log)")

        let journal = try DaemonProcess(executable: try Self.journalWrapper(in: daemon.directory))
        #expect(try journal.runExpectingFailure(["--config", config]) == 2)
        #expect(journal.log.hasPrefix("<2>ledgerd: configuration key socket.mode: 0777"), "\(journal.log)")
    }

    /// A script starting `ledgerd` with `JOURNAL_STREAM` naming its stderr, as systemd does for a unit whose
    /// output goes to the journal (`<device>:<inode>`, systemd.exec(5)).
    static func journalWrapper(in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending("ledgerd-under-journald")
        let script = """
            #!/bin/sh
            JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2)
            export JOURNAL_STREAM
            exec '\(DaemonProcess.binary)' "$@"

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(chmod(path, 0o755) == 0)
        return path
    }
}
