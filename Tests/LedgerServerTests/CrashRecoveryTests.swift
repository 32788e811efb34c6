import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// kill -9 while clients append: every acknowledged event must be there exactly once, at its acknowledged
/// position, with no gaps, the log must verify and the projections must equal a fresh rebuild.
///
/// `LEDGER_CRASH_KILLS` sets the number of kills (default 5; `ops/reliability` runs 50); after every fifth, one more
/// round ends in a graceful stop, which saves a projection checkpoint.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    @Test("acknowledged appends survive kill -9 at random moments", .timeLimit(.minutes(30)))
    func killNineLoop() throws {
        let kills = ProcessInfo.processInfo.environment["LEDGER_CRASH_KILLS"].flatMap { Int($0) } ?? 5
        let daemon = try DaemonProcess()
        let shared = Shared()
        let socket = daemon.socketPath
        var generator = SystemRandomNumberGenerator()
        var nextID = 0
        for round in 0..<(kills + kills / 5) {
            try daemon.start()
            shared.stop.store(false, ordering: .relaxed)
            let group = DispatchGroup()
            for client in 0..<4 {
                let base = nextID + client * 100_000
                group.enter()
                Thread {
                    defer { group.leave() }
                    guard let connection = try? LineClient(path: socket) else { return }
                    var index = 0
                    while !shared.stop.load(ordering: .relaxed) {
                        index += 1
                        let id = uuid(base + index, prefix: "0190f3a0-7c1e-7d2a-9b\(String(format: "%02x", round))")
                        // One writer registers commissioners, so the projections have work to redo after a kill.
                        let line =
                            client == 0
                            ? #"APPEND commissioner-r\#(round)n\#(index) none {"id":"\#(id)","type":"commissioner-registered","#
                                + #""data":{"name":"Council \#(index)","kind":"local-authority"}}"#
                            : #"APPEND crash-\#(client) any {"id":"\#(id)","type":"x-t","data":{"i":\#(index)}}"#
                        guard (try? connection.send(line)) != nil, let reply = try? connection.readLine(timeout: 5),
                            reply.hasPrefix("OK ")
                        else { return }
                        if let position = try? DaemonLifecycleTests.number("first", of: reply) {
                            shared.acknowledged.withLock { $0[id] = position }
                        }
                    }
                }.start()
            }
            Thread.sleep(forTimeInterval: 0.2 + Double(generator.next() % 300) / 1000)
            // After every fifth kill a round stops gracefully, which saves a projection checkpoint (adding only the
            // facts since the last one once a checkpoint was restored); the kills then land on restored projections.
            if round % 6 == 5 { daemon.stop() } else { daemon.stop(signal: SIGKILL) }
            shared.stop.store(true, ordering: .relaxed)
            group.wait()
            nextID += 1_000_000
            #expect(!daemon.log.contains("cannot read the projection checkpoint"), "round \(round): \(daemon.log)")
        }

        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let verify = try client.request("VERIFY")
        #expect(verify.hasPrefix("OK "), "\(verify)")
        let rebuild = try client.request("REBUILD commissioning", timeout: 60)
        #expect(rebuild.contains(#""identical":true"#), "\(rebuild)")
        #expect(kills < 5 || daemon.log.contains("projections restored from their checkpoint"), "\(daemon.log)")
        #expect(!daemon.log.contains("cannot read the projection checkpoint"), "\(daemon.log)")
        try client.send("READALL")
        let lines = try client.readSequence(timeout: 30)
        let events = lines.filter { $0.hasPrefix("EVENT ") }
        var stored = [String: UInt64]()
        for (offset, line) in events.enumerated() {
            let position = try DaemonLifecycleTests.number("position", of: line)
            #expect(position == UInt64(offset + 1), "positions have no gaps")
            let id = try DaemonLifecycleTests.field("id", of: line)
            #expect(stored.updateValue(position, forKey: id) == nil, "each id is stored once")
        }
        let expected = shared.acknowledged.withLock { $0 }
        #expect(expected.count > 20)
        #expect(events.contains { $0.contains(#""type":"commissioner-registered""#) }, "projections had work to redo")
        for (id, position) in expected {
            #expect(stored[id] == position, "acknowledged \(id) at \(position)")
        }
        print(
            "crash recovery: \(kills) kills and \(kills / 5) graceful stops, \(expected.count) acknowledged events "
                + "checked, \(events.count) stored"
        )
    }
}

/// What the client threads share: the acknowledged ids with their positions, and the stop flag.
private final class Shared: Sendable {
    let acknowledged = Mutex<[String: UInt64]>([:])
    let stop = Atomic<Bool>(false)
}
