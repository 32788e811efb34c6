import Foundation
import LedgerTestSupport
import Testing

/// `recorded` on an `APPEND` is the import path only: accepted while every stored event was imported (an empty
/// ledger, then the import's later batches), never more than the documented skew past the server's clock, never
/// backwards. (Before the fix, an `ops` append with `recorded` 9999-12-31 on a ledger in use was accepted, and every
/// later event of every writer was stamped 9999-12-31.)
@Suite("Imported recorded times over the socket", .serialized)
struct ImportedTimeRuleTests {
    private func append(_ index: Int, recorded: String?) -> String {
        let time = recorded.map { #","recorded":"\#($0)""# } ?? ""
        return #"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{}\#(time)}"#
    }

    @Test("an import may only be the ledger's first events; then every event takes the server's clock")
    func importIsAPrefix() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        #expect(try client.request(append(1, recorded: "2026-01-01T00:00:00.000001Z")).hasPrefix("OK "))
        #expect(try client.request(append(2, recorded: "2026-01-02T00:00:00.000001Z")).hasPrefix("OK "))
        daemon.stop()
        try daemon.start()
        let again = try daemon.connect()
        #expect(try again.request(append(3, recorded: "2026-01-03T00:00:00.000001Z")).hasPrefix("OK "))
        #expect(try again.request(append(4, recorded: nil)).hasPrefix("OK "))
        for (index, time) in [(5, "9999-12-31T23:59:59.999999Z"), (6, "2026-01-04T00:00:00.000001Z")] {
            let reply = try again.request(append(index, recorded: time))
            #expect(reply.hasPrefix("ERR INVALID_EVENT {"), "\(reply)")
            #expect(reply.contains(#""field":"recorded""#) && reply.contains("importing into a new ledger"), "\(reply)")
        }
        daemon.stop()
        try daemon.start()
        let later = try daemon.connect()
        #expect(try later.request(append(7, recorded: "2026-01-05T00:00:00.000001Z")).hasPrefix("ERR INVALID_EVENT"))
        #expect(try later.request(append(8, recorded: nil)).hasPrefix("OK "))
        try later.send("READALL 4")
        let events = try later.readSequence()
        #expect(events.count == 3)
        #expect(events.dropLast().allSatisfy { !$0.contains("9999-") }, "no event took the refused time")
    }

    @Test("an imported time is refused past the clock's skew, and backwards")
    func futureAndBackwards() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let future = try client.request(append(1, recorded: "9999-12-31T23:59:59.999999Z"))
        #expect(future.hasPrefix("ERR INVALID_EVENT {") && future.contains("ahead of the server's clock"), "\(future)")
        #expect(try client.request(append(2, recorded: "2026-01-02T00:00:00.000001Z")).hasPrefix("OK "))
        let backwards = try client.request(append(3, recorded: "2026-01-01T00:00:00.000001Z"))
        #expect(backwards.hasPrefix("ERR INVALID_EVENT {") && backwards.contains("goes backwards"), "\(backwards)")
        #expect(try BadInputTests.status("head", of: client) == 1)
    }
}
