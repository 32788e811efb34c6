import CommissioningScenario
import LedgerJSON
import LedgerTestSupport
import Testing

/// `REBUILD` folds a fresh copy on a thread of its own while the live fold goes on, then brings it up to the live
/// position: appends made meanwhile are in the state it swaps in.
@Suite("REBUILD beside appends")
struct RebuildTests {
    @Test("a REBUILD while appends go on swaps in an identical state that holds them", .timeLimit(.minutes(1)))
    func rebuildBesideAppends() throws {
        var scenario = Scenario(
            seed: 29,
            size: ScenarioSize(commissioners: 2, providers: 16, consortia: 2, cases: 80, concurrentCases: 8)
        )
        var lines = [String]()
        while let event = scenario.next() {
            let object: JSONValue = [
                "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
            ]
            lines.append("APPEND \(event.stream) any \(object.canonicalString)")
        }
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { _ = daemon.stop() }
        let half = lines.count / 2
        let writer = try daemon.connect()
        for line in lines[..<half] { #expect(try writer.request(line).hasPrefix("OK ")) }

        // The rest is appended while the first REBUILD runs: it is sent, and its answer read once they are in.
        let client = try daemon.connect()
        try client.send("REBUILD commissioning")
        for line in lines[half...] { #expect(try writer.request(line).hasPrefix("OK ")) }
        let first = try #require(try client.readLine(timeout: 120))
        #expect(first.hasPrefix(#"OK {"identical":true,"#), "\(first)")

        let head = lines.count
        try client.send("QUERY AFTER \(head) audit exceptions")
        let answer = try client.readSequence(timeout: 60)
        #expect(answer.last?.hasPrefix("END ") == true, "\(answer.suffix(1))")
        let second = try client.request("REBUILD commissioning", timeout: 120)
        #expect(second.hasPrefix(#"OK {"identical":true,"#), "\(second)")
        #expect(second.contains(#""position":\#(head),"#), "\(second)")
    }
}
