import Foundation
import LedgerJSON
import LedgerTestSupport
import Synchronization
import Testing

/// A reader process that crashes inside a read transaction leaves its LMDB reader slot taken until someone runs
/// `mdb_reader_check`. These tests kill readers more times than there are slots and check that the daemon keeps
/// serving reads and that `STATUS` counts no leaked slot.
@Suite(
    "Stale reader slots",
    .serialized,
    .enabled(if: BlockedReader.available, "needs mdb_dump and mdb_stat (lmdb-utils)")
)
struct StaleReaderTests {
    /// The daemon's reader slots (`storage.maxReaders`), few so that leaks fill them quickly.
    static let maxReaders = 8
    /// Events in the ledger: enough that `mdb_dump` blocks on its full pipe.
    static let events = 500

    @Test("other processes killed inside a read transaction leave no slot taken", .timeLimit(.minutes(3)))
    func killedReaderProcesses() throws {
        let daemon = try Self.startDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        try Self.fill(client)
        let kills = 3 * Self.maxReaders
        for cycle in 1...kills {
            let reader = try BlockedReader(dataDirectory: daemon.dataDirectory)
            if cycle == 1 {
                #expect(try Self.readers(client, settlingAt: 1) == 1, "STATUS counts another process's reader")
            }
            reader.kill()
            #expect(try reader.holdsSlot(), "cycle \(cycle): the dead reader's slot is left taken")
            // Only reads between kills: every maxReaders-th read finds the table full and clears the dead slots.
            try Self.expectAllEvents(client, "cycle \(cycle)")
        }
        #expect(try Self.readers(client, settlingAt: 0) == 0, "no slot leaked after \(kills) kills")
        #expect(try Self.readerTable(client)["max"]?.int64Value == Int64(Self.maxReaders))
        print("stale readers: \(kills) reader processes killed with \(Self.maxReaders) slots; reads never failed")
    }

    @Test(
        "ledgerd killed during reads, while another process keeps the environment open, restarts with no slot leaked",
        .timeLimit(.minutes(5))
    )
    func killedDaemon() throws {
        let daemon = try DaemonProcess()
        try Self.startDaemon(daemon)
        try Self.fill(try daemon.connect())
        // It keeps the lock file open, so a restart cannot start a fresh reader table: only mdb_reader_check helps.
        let keeper = try BlockedReader(dataDirectory: daemon.dataDirectory)
        let kills = Self.maxReaders + 4
        var cleared = 0
        for cycle in 1...kills {
            if cycle > 1 { try Self.startDaemon(daemon) }
            cleared += try Self.staleReadersCleared(daemon)
            let client = try daemon.connect()
            #expect(try Self.readers(client, settlingAt: 1) == 1, "cycle \(cycle): only the keeper holds a slot")
            try Self.expectAllEvents(client, "cycle \(cycle)")
            try Self.killWhileReading(daemon)
        }
        try Self.startDaemon(daemon)
        defer { daemon.stop() }
        cleared += try Self.staleReadersCleared(daemon)
        #expect(cleared > 0, "some kill cut a read transaction short (else this test shows nothing)")
        let client = try daemon.connect()
        keeper.kill()
        #expect(try Self.readers(client, settlingAt: 0) == 0, "no slot leaked after \(kills) kills")
        try Self.expectAllEvents(client, "after the last restart")
        print("stale readers: ledgerd killed \(kills) times during reads; \(cleared) stale slots cleared at restarts")
    }

    // MARK: Helpers

    /// A daemon with `maxReaders` reader slots, JSON logs, started.
    @discardableResult
    static func startDaemon(_ daemon: DaemonProcess? = nil) throws -> DaemonProcess {
        let daemon = try daemon ?? DaemonProcess()
        let config = daemon.directory.appending("readers.json")
        try #"{"storage":{"maxReaders":\#(maxReaders)}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config, "--log-format", "json"])
        return daemon
    }

    /// Appends `events` events of about 300 bytes each, 100 to an `APPEND`.
    static func fill(_ client: LineClient) throws {
        let padding = String(repeating: "p", count: 200)
        for batch in 0..<(events / 100) {
            let objects = (1...100).map { index in
                #"{"id":"\#(uuid(batch * 100 + index))","type":"x-t","data":{"p":"\#(padding)"}}"#
            }
            let reply = try client.request("APPEND readers any [\(objects.joined(separator: ","))]")
            #expect(reply.hasPrefix("OK "), "\(reply.prefix(200))")
        }
    }

    /// Expects `READALL` to return every event.
    static func expectAllEvents(_ client: LineClient, _ context: String) throws {
        try client.send("READALL")
        let lines = try client.readSequence(timeout: 20)
        #expect(lines.last == #"END {"count":\#(events),"next":\#(events + 1)}"#, "\(context): \(lines.last ?? "")")
    }

    /// `STATUS`'s `readers` object (`used`, `max`).
    static func readerTable(_ client: LineClient) throws -> JSONValue {
        let reply = try client.request("STATUS")
        #expect(reply.hasPrefix("OK "), "\(reply)")
        return try #require(try JSONParser.parse(Array(reply.utf8.dropFirst(3)))["readers"])
    }

    /// `STATUS` `readers.used` once it equals `target`, or after 10 s (the daemon's own reads come and go).
    static func readers(_ client: LineClient, settlingAt target: Int64) throws -> Int64 {
        let deadline = Date().addingTimeInterval(10)
        var used = try readerTable(client)["used"]?.int64Value ?? -1
        while used != target, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            used = try readerTable(client)["used"]?.int64Value ?? -1
        }
        return used
    }

    /// The `staleReadersCleared` of the daemon's `serving` line, waiting up to 5 s for it: the socket answers `PING`
    /// as soon as it is bound, which can be just before the line is written.
    static func staleReadersCleared(_ daemon: DaemonProcess) throws -> Int {
        let deadline = Date().addingTimeInterval(5)
        repeat {
            for line in daemon.log.split(separator: "\n") {
                let entry = try JSONParser.parse(Array(line.utf8))
                guard entry["message"]?.stringValue == "serving" else { continue }
                return try #require(entry["metadata"]?["staleReadersCleared"]?.int64Value.map { Int($0) })
            }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        Issue.record("no serving line in \(daemon.log)")
        return 0
    }

    /// Three clients verify and read the log over and over; `kill -9` at a random moment among their reads.
    static func killWhileReading(_ daemon: DaemonProcess) throws {
        let stop = StopFlag()
        let socket = daemon.socketPath
        let group = DispatchGroup()
        for client in 0..<3 {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = try? LineClient(path: socket) else { return }
                // VERIFY rehashes every event inside one read transaction: most likely to be cut short.
                let request = ["VERIFY", "READ readers", "READALL 7 100"][client]
                while !stop.stopped.load(ordering: .relaxed) {
                    guard (try? connection.send(request)) != nil, (try? connection.readSequence(timeout: 5)) != nil
                    else { return }
                }
            }.start()
        }
        Thread.sleep(forTimeInterval: 0.2 + Double.random(in: 0...0.3))
        daemon.stop(signal: SIGKILL)
        stop.stopped.store(true, ordering: .relaxed)
        group.wait()
    }
}

/// Tells the reading threads to stop.
private final class StopFlag: Sendable {
    let stopped = Atomic<Bool>(false)
}
