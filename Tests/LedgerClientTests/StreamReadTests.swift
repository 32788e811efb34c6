import LedgerClient
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("Backward reads and stream information against a real ledgerd")
struct StreamReadTests {
    @Test("READBACK pages a stream newest first, its last event with a limit of 1; STREAM gives version and positions")
    func backwards() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let ledger = try await LedgerConnection.connect(to: daemon.socketPath)
        // 2,500 events of stream a between others, so pages (1,000 events at most) and positions both show.
        for batch in 0..<25 {
            _ = try await ledger.append(to: "a", events: (0..<100).map { event(batch * 100 + $0 + 1) })
            _ = try await ledger.append(to: "b", events: [event(10_000 + batch)])
        }
        let last = try await ledger.readBackwards(stream: "a", limit: 1)
        #expect(last.events.map(\.version) == [2500] && last.next == 2499)
        let all = try await ledger.readBackwards(stream: "a")
        #expect(all.events.map(\.version) == Array((1...2500).reversed()) && all.next == 0)
        let middle = try await ledger.readBackwards(stream: "a", fromVersion: 1200, limit: 3)
        #expect(middle.events.map(\.version) == [1200, 1199, 1198] && middle.next == 1197)
        let beyond = try await ledger.readBackwards(stream: "a", fromVersion: 9999, limit: 1)
        #expect(beyond.events.map(\.version) == [2500])
        #expect(try await ledger.readBackwards(stream: "nobody").events.isEmpty)

        let info = try await ledger.streamInfo("a")
        #expect(info.version == 2500 && info.first == 1 && info.last == 2524)
        #expect(try await ledger.streamInfo("b") == StreamInfo(stream: "b", version: 25, first: 101, last: 2525))
        #expect(
            try await ledger.streamInfo("nobody") == StreamInfo(stream: "nobody", version: 0, first: nil, last: nil)
        )
        do {
            _ = try await ledger.streamInfo("bad name")
            Issue.record("a bad stream name was answered")
        } catch {
            guard case .invalidArgument = error else {
                guard case .server(code: .badRequest, _, _) = error else { throw error }
                return
            }
        }
        await ledger.close()
    }
}
