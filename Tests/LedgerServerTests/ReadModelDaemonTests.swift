import CommissioningScenario
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// The read models through the socket: payments across contracts, whole and paged, answered from
/// `<data>/read-models`, which a restart reuses and a damaged store does not stop (it is made afresh from the log).
@Suite("Read models in the daemon", .serialized)
struct ReadModelDaemonTests {
    @Test("pages hold the whole answer; the store is owner-only, reused after a restart, made afresh when damaged")
    func pagedAndRestarted() throws {
        var scenario = Scenario(
            seed: 5,
            size: ScenarioSize(commissioners: 2, providers: 12, consortia: 2, cases: 30, concurrentCases: 6)
        )
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { _ = daemon.stop() }
        let client = try daemon.connect()
        var count = 0
        var commissioner = ""
        while let event = scenario.next() {
            let object: JSONValue = [
                "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
            ]
            if commissioner.isEmpty, event.stream.hasPrefix("commissioner-") {
                commissioner = String(event.stream.dropFirst("commissioner-".count))
            }
            try client.send("APPEND \(event.stream) any \(object.canonicalString)")
            count += 1
        }
        for _ in 0..<count { try #require(try client.readLine(timeout: 30)?.hasPrefix("OK ") == true) }
        let whole = try client.ask("QUERY AFTER \(count) payments commissioner \(commissioner)")
        let rows = whole.filter { $0.hasPrefix("ROW ") }
        #expect(rows.count > 20)

        // Pages of 7 rows, each naming the next, hold the rows of the whole answer in order.
        var paged = [String]()
        var clause = "LIMIT 7"
        while true {
            let page = try client.ask("QUERY payments commissioner \(commissioner) \(clause)")
            let end = try JSONParser.parse(String(try #require(page.last).dropFirst(4)))
            #expect(page.count <= 8 && end["count"]?.int64Value == Int64(page.count - 1))
            paged += page.filter { $0.hasPrefix("ROW ") }
            guard let next = end["next"]?.stringValue else { break }
            clause = "LIMIT 7 FROM \(next)"
        }
        #expect(paged == rows)
        for bad in ["LIMIT 0", "LIMIT 7 FROM nowhere", "LIMIT 7 AFTER K1/0", "LIMIT many"] {
            let reply = try client.ask("QUERY payments commissioner \(commissioner) \(bad)")
            #expect(reply.first?.hasPrefix("ERR BAD_REQUEST ") == true, "\(bad): \(reply)")
        }
        #expect(try client.ask("QUERY quality provider P0001 LIMIT 5").first?.hasPrefix("ERR BAD_REQUEST ") == true)

        let status = try JSONParser.parse(String(try client.request("STATUS").dropFirst(3)))
        let readModels = status["projections"]?.arrayValue?.first?["readModels"]
        #expect(readModels?["serving"]?.boolValue == true && readModels?["position"]?.int64Value == Int64(count))

        let store = daemon.dataDirectory + "/read-models"
        #expect(try Self.mode(of: store) == 0o700)
        #expect(try Self.mode(of: store + "/data.mdb") == 0o600)
        #expect(daemon.stop() == 0)

        // A clean restart finds the store at the restored position and reads it at once.
        try daemon.start()
        #expect(try daemon.connect().ask("QUERY AFTER \(count) payments commissioner \(commissioner)") == whole)
        #expect(!daemon.log.contains("read models written afresh"), "\(daemon.log)")
        #expect(daemon.stop() == 0)

        // A damaged store is removed and made afresh; the answers stay the same.
        let data = try FileHandle(forWritingTo: URL(fileURLWithPath: store + "/data.mdb"))
        try data.truncate(atOffset: 100)
        try data.close()
        try daemon.start()
        #expect(try daemon.connect().ask("QUERY AFTER \(count) payments commissioner \(commissioner)") == whole)
        #expect(daemon.log.contains("cannot open the read models; making them afresh"))
        #expect(daemon.log.contains("read models written afresh"))
    }

    static func mode(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
}

extension LineClient {
    /// Sends `query` and reads its reply: the lines up to `END`, or the one `ERR` line.
    fileprivate func ask(_ query: String) throws -> [String] {
        try send(query)
        return try readSequence(timeout: 30)
    }
}
