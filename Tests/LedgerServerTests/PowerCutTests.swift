import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// Power cuts while clients append: the daemon runs with the `PowerCut` library preloaded, is killed at a random
/// moment, and every write no sync covered is then lost (all of them, or a random part page by page, in turn), as a
/// disk losing power would lose them. After each cut the daemon starts, returns `data.mdb` to its durable point and
/// redoes its journal: every acknowledged event must be there at its acknowledged position, `VERIFY` must pass, and
/// nothing torn may be served.
///
/// `LEDGER_POWER_CUTS` sets the number of cuts (default 10; `ops/reliability` runs 200).
@Suite("Power cuts", .serialized)
struct PowerCutTests {
    @Test("acknowledged appends survive power cuts that drop unsynced writes", .timeLimit(.minutes(30)))
    func powerCutLoop() throws {
        let cuts = ProcessInfo.processInfo.environment["LEDGER_POWER_CUTS"].flatMap { Int($0) } ?? 10
        let daemon = try DaemonProcess()
        let undoLog = daemon.directory.appending("undo.log")
        let shared = PowerCutShared()
        var generator = SystemRandomNumberGenerator()
        var unsyncedFiles = 0
        var verified: UInt64 = 0
        var redone = 0
        for round in 0..<cuts {
            daemon.environment = PowerCut.environment(for: daemon.dataDirectory, log: undoLog)
            try daemon.start()
            if daemon.log.contains("redid the journal") { redone += 1 }
            // Every tenth round rehashes the whole log; the others the events since the last check (and, as every
            // VERIFY does, the indexes of those, every stored subtree root and the root from all leaf hashes).
            let range = round % 10 == 0 || verified == 0 ? "" : " \(verified)"
            let verify = try daemon.connect().request("VERIFY\(range)", timeout: 120)
            #expect(verify.hasPrefix("OK "), "round \(round): \(verify)")
            verified = (try? DaemonLifecycleTests.number("size", of: verify)) ?? verified
            shared.stop.store(false, ordering: .relaxed)
            let group = DispatchGroup()
            let socket = daemon.socketPath
            for client in 0..<4 {
                group.enter()
                Thread {
                    defer { group.leave() }
                    Self.append(round: round, client: client, socket: socket, shared: shared)
                }.start()
            }
            group.enter()
            Thread {
                defer { group.leave() }
                Self.consume(socket: socket, shared: shared)
            }.start()
            // Up to 1.6 s, so that some cuts come after a durable point (due a second after the start) has moved the
            // pin and deleted the journal segments it covers.
            Thread.sleep(forTimeInterval: 0.1 + Double(generator.next() % 1500) / 1000)
            daemon.stop(signal: SIGKILL)
            shared.stop.store(true, ordering: .relaxed)
            group.wait()
            let loss: PowerCut.Loss = round % 2 == 0 ? .everythingUnsynced : .somePages(seed: UInt64(round))
            unsyncedFiles += try PowerCut.cut(log: undoLog, loss)
        }

        daemon.environment = [:]
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let verify = try client.request("VERIFY", timeout: 60)
        #expect(verify.hasPrefix("OK "), "\(verify)")
        try client.send("READALL")
        let events = try client.readSequence(timeout: 30).filter { $0.hasPrefix("EVENT ") }
        var stored = [String: UInt64]()
        for (offset, line) in events.enumerated() {
            let position = try DaemonLifecycleTests.number("position", of: line)
            #expect(position == UInt64(offset + 1), "positions have no gaps")
            stored[try DaemonLifecycleTests.field("id", of: line)] = position
        }
        let acknowledged = shared.acknowledged.withLock { $0 }
        #expect(acknowledged.count > cuts * 10)
        var missing = 0
        for (id, position) in acknowledged where stored[id] != position { missing += 1 }
        #expect(missing == 0, "\(missing) of \(acknowledged.count) acknowledged events are not at their positions")
        #expect(unsyncedFiles > 0, "the cuts dropped unsynced writes")
        // A consumer's position is not in the journal: it is synced as LMDB syncs, then made a durable point, before
        // ACKED confirms it.
        let confirmed = shared.confirmed.load(ordering: .relaxed)
        let status = try client.request("STATUS")
        #expect(confirmed > 0, "the consumer had acknowledgements confirmed")
        #expect(try DaemonLifecycleTests.number("acked", of: status) >= confirmed, "\(status)")
        #expect(redone > 0 || cuts < 2, "the journal was redone after some cut")
        print(
            "power cuts: \(cuts) cuts, \(unsyncedFiles) files rolled back, \(acknowledged.count) acknowledged events "
                + "checked, \(events.count) stored, \(redone) starts redid the journal; consumer acknowledgements confirmed up to \(confirmed)"
        )
    }

    /// Consumes the log as `cut-consumer`, acknowledging every 500th event (each acknowledgement makes a durable point, which empties the journal) and noting the highest position `ACKED`
    /// confirms, until told to stop or the daemon goes.
    static func consume(socket: String, shared: PowerCutShared) {
        guard let connection = try? LineClient(path: socket), (try? connection.send("CONSUME cut-consumer")) != nil
        else { return }
        var received = 0
        while !shared.stop.load(ordering: .relaxed) {
            guard let line = try? connection.readLine(timeout: 5) else { return }
            if line.hasPrefix("EVENT "), let position = try? DaemonLifecycleTests.number("position", of: line) {
                received += 1
                if received % 500 == 0, (try? connection.send("ACK \(position)")) == nil { return }
            } else if line.hasPrefix("ACKED "), let position = try? DaemonLifecycleTests.number("position", of: line) {
                shared.confirmed.max(position, ordering: .relaxed)
            } else if !line.hasPrefix("LIVE ") {
                return
            }
        }
    }

    /// Appends one event at a time on its own connection until told to stop or the daemon goes, noting each
    /// acknowledged id with its position.
    static func append(round: Int, client: Int, socket: String, shared: PowerCutShared) {
        guard let connection = try? LineClient(path: socket) else { return }
        var index = 0
        while !shared.stop.load(ordering: .relaxed) {
            index += 1
            let id = uuid(client * 100_000 + index, prefix: "0190f3a0-7c1e-7d2a-9c\(String(format: "%02x", round))")
            let line =
                #"APPEND cut-\#(client) any {"id":"\#(id)","type":"x-t","data":{"round":\#(round),"i":\#(index)}}"#
            guard (try? connection.send(line)) != nil, let reply = try? connection.readLine(timeout: 5),
                reply.hasPrefix("OK ")
            else { return }
            if let position = try? DaemonLifecycleTests.number("first", of: reply) {
                shared.acknowledged.withLock { $0[id] = position }
            }
        }
    }
}

/// What the client threads share: the acknowledged ids with their positions, the consumer's confirmed position, and
/// the stop flag.
final class PowerCutShared: Sendable {
    let acknowledged = Mutex<[String: UInt64]>([:])
    let stop = Atomic<Bool>(false)
    /// The highest acknowledged position an `ACKED` confirmed.
    let confirmed = Atomic<UInt64>(0)
}
