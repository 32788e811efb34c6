import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl commands against a running ledgerd")
struct CommandTests {
    @Test("ping, status, append, read and verify", .timeLimit(.minutes(1)))
    func everyday() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let socket = daemon.socketPath

        let ping = try LedgerctlProcess.run(["ping"], socket: socket)
        #expect(ping.status == 0)
        #expect(ping.stdout.hasPrefix("PONG from \(socket) in "))

        let file = try writeFile(
            (1...5).map { eventLine($0, data: #"{"n":\#($0)}"#) }.joined(separator: "\n") + "\n",
            named: "events.ndjson",
            in: daemon.directory.path
        )
        let appended = try LedgerctlProcess.run(["append", "notes-1", "--expected", "none", file], socket: socket)
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout == "appended 5 events to notes-1: positions 1-5, version 5\n")
        #expect(appended.stderr.isEmpty, "no progress line when stderr is not a terminal")

        // A JSON array on stdin, in batches of 2: later batches expect the version the previous one left.
        let array = "[\n" + (6...10).map { eventLine($0) }.joined(separator: ",\n") + "\n]\n"
        let piped = try LedgerctlProcess.run(
            ["append", "notes-1", "--expected", "5", "--batch-size", "2", "-"],
            socket: socket,
            input: array
        )
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == "appended 5 events to notes-1: positions 6-10, version 10\n")

        // Running the same append again is recognised as a retry.
        let again = try LedgerctlProcess.run(["append", "notes-1", "--expected", "none", file], socket: socket)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("(5 were already stored)"))

        let read = try LedgerctlProcess.run(["read", "notes-1", "--from", "2", "--limit", "3"], socket: socket)
        #expect(read.status == 0)
        let raw = try daemon.connect()
        try raw.send("READ notes-1 2 3")
        let expected = try raw.readSequence().dropLast().map { String($0.dropFirst("EVENT ".count)) }
        #expect(read.lines == expected)
        #expect(read.lines.count == 3)

        try raw.send("CONSUME mailer stream=notes-")
        for position in 1...10 { #expect(try raw.readLine()?.hasPrefix(#"EVENT {"position":\#(position),"#) == true) }
        #expect(try raw.readLine() == #"LIVE {"position":10}"#)
        try raw.send("ACK 4")
        #expect(try raw.readLine() == #"ACKED {"position":4}"#)
        let status = try LedgerctlProcess.run(["status"], socket: socket)
        #expect(status.status == 0)
        #expect(status.lines.contains("head        10"))
        #expect(status.lines.contains("consumer    mailer acked 4, lag 6, held"))
        #expect(status.lines.contains { $0.hasPrefix("commissioning at ") && $0.contains(", lag ") })
        let root = try #require(status.lines.first { $0.hasPrefix("root ") }?.split(separator: " ").last)

        let verify = try LedgerctlProcess.run(["verify"], socket: socket)
        #expect(verify.status == 0)
        #expect(verify.lines == ["verified 10 events of 10", "root \(root)"])
        let sliced = try LedgerctlProcess.run(["verify", "--slice", "3"], socket: socket)
        #expect(sliced.lines == ["verified 10 events of 10", "root \(root)"], "four VERIFY slices add up")

        let json = try LedgerctlProcess.run(["status", "--json"], socket: socket)
        #expect(json.stdout.contains(#""head":10"#))
    }

    @Test(
        "large events are split into batches that fit the line limit; one too large is refused",
        .timeLimit(.minutes(1))
    )
    func lineLimit() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let padding = String(repeating: "x", count: 200_000)
        let lines = (1...12).map { eventLine($0, data: #"{"p":"\#(padding)"}"#) }
        let file = try writeFile(lines.joined(separator: "\n"), named: "large.ndjson", in: daemon.directory.path)
        let appended = try LedgerctlProcess.run(["append", "s", "--expected", "none", file], socket: daemon.socketPath)
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout == "appended 12 events to s: positions 1-12, version 12\n")
        let status = try daemon.connect().request("STATUS")
        #expect(status.contains(#""requests":3"#), "12 events of 200 kB take three 1 MiB lines: \(status)")

        let half = String(repeating: "y", count: 550_000)
        let huge = eventLine(13, data: #"{"p":"\#(half)","q":"\#(half)"}"#)
        let second = try writeFile(eventLine(14) + "\n" + huge, named: "huge.ndjson", in: daemon.directory.path)
        let refused = try LedgerctlProcess.run(["append", "s", second], socket: daemon.socketPath)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix(
                "ledgerctl: \(second) line 2: the event is 1100081 bytes; a request line may carry 1048576 bytes; "
                    + "no events were committed"
            ),
            "\(refused.stderr)"
        )
    }

    @Test("--socket falls back to LEDGER_SOCKET; bad usage exits 2", .timeLimit(.minutes(1)))
    func socketAndUsage() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let viaEnvironment = try LedgerctlProcess.run(
            ["ping"],
            socket: nil,
            environment: ["LEDGER_SOCKET": daemon.socketPath]
        )
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")

        let missingStream = try LedgerctlProcess.run(["append"], socket: daemon.socketPath)
        #expect(missingStream.status == 2)
        #expect(missingStream.stderr.hasPrefix("ledgerctl: "))
        let badExpected = try LedgerctlProcess.run(["append", "s", "--expected", "maybe"], socket: daemon.socketPath)
        #expect(badExpected.status == 2)
        #expect(badExpected.stderr.contains("--expected must be any, none, exists or a version number"))
        let missingFile = try LedgerctlProcess.run(["append", "s", "/nonexistent/file"], socket: daemon.socketPath)
        #expect(missingFile.status == 2)
        let unknown = try LedgerctlProcess.run(["frobnicate"], socket: nil)
        #expect(unknown.status == 2)
        let help = try LedgerctlProcess.run(["--help"], socket: nil)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit codes"))
    }
}
