import Foundation
import LedgerTestSupport
import Testing

/// Clients that ask for the log and never read it: each holds at most a page of the daemon's memory
/// (`limits.maxQueuedOutputBytes`), stalled subscribers are dropped, and appends beside them are answered as usual.
@Suite("Stalled readers", .serialized)
struct StalledReaderTests {
    @Test(
        "100 subscribers and 20 READALLs that never read a 20 MB log take little memory and hold up no append",
        .timeLimit(.minutes(4))
    )
    func stalledReaders() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("config.json")
        try #"{"limits":{"subscriberStallSeconds":2}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let pid = try #require(daemon.processIdentifier)
        let writer = try daemon.connect()
        try Self.fill(writer, megabytes: 20)
        let status = try ProcessStatus(pid: pid)
        let (before, heapBefore) = (status.residentMiB, status.anonymousMiB)

        var stalled = try (0..<100).map { _ in try daemon.connect() }
        for subscriber in stalled { try subscriber.send("SUBSCRIBE 1") }
        var readers = try (0..<20).map { _ in try daemon.connect() }
        for reader in readers { try reader.send("READALL") }

        // While they stall (and the subscribers are dropped), appends beside them are answered, and the daemon's
        // resident memory stays near where it was.
        var peak = before
        var slowest = 0.0
        let deadline = Date().addingTimeInterval(60)
        var appended = 0
        while Date() < deadline {
            let started = Date()
            let id = uuid(appended, prefix: "0190f3a0-7c1e-7d2a-9b51")
            let reply = try writer.request(#"APPEND beside any {"id":"\#(id)","type":"x-t","data":{}}"#, timeout: 5)
            #expect(reply.hasPrefix("OK "), "\(reply)")
            slowest = max(slowest, Date().timeIntervalSince(started))
            appended += 1
            peak = max(peak, try ProcessStatus(pid: pid).residentMiB)
            if try BadInputTests.status("connections", of: writer) == 21, appended >= 20 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try BadInputTests.status("connections", of: writer) == 21, "every stalled subscriber was dropped")
        #expect(ConnectionLimitTests.lines(of: daemon, containing: "subscriber dropped") == 1, "logged once")
        #expect(peak - before < 100, "resident memory \(before) MiB before, \(peak) MiB at most beside them")
        print(
            "stalled readers: RSS \(before) MiB before, peak \(peak) MiB; slowest of \(appended) appends \(slowest) s"
        )

        stalled.removeAll()
        readers.removeAll()
        #expect(try BadInputTests.connections(settlingAt: 1, of: writer) == 1)
        #expect(try writer.request("PING") == "PONG")
        // The heap they used is handed back (a second or so after they are gone).
        var heap = try ProcessStatus(pid: pid).anonymousMiB
        let trimDeadline = Date().addingTimeInterval(15)
        while heap - heapBefore >= 6, Date() < trimDeadline {
            Thread.sleep(forTimeInterval: 0.2)
            heap = try ProcessStatus(pid: pid).anonymousMiB
        }
        #expect(heap - heapBefore < 6, "heap \(heapBefore) MiB before, \(heap) MiB once they are gone")
        print("stalled readers: heap \(heapBefore) MiB before, \(heap) MiB once they are gone")
    }

    /// Appends about `megabytes` of events of 2.9 kB each, 300 to an `APPEND`.
    static func fill(_ client: LineClient, megabytes: Int) throws {
        let padding = String(repeating: "y", count: 2800)
        let perAppend = 300
        for batch in 0..<(megabytes * 1_000_000 / (perAppend * 2950) + 1) {
            let events = (0..<perAppend).map { index in
                let id = uuid(batch * perAppend + index, prefix: "0190f3a0-7c1e-7d2a-9b50")
                return #"{"id":"\#(id)","type":"x-t","data":{"p":"\#(padding)"}}"#
            }
            let reply = try client.request("APPEND bulk any [" + events.joined(separator: ",") + "]", timeout: 60)
            #expect(reply.hasPrefix("OK "), "\(reply.prefix(200))")
        }
    }
}
