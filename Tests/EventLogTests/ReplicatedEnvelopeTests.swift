import EventLog
import LedgerTestSupport
import Testing

@Suite("Replicated envelopes: a primary's bytes stored unchanged at their position")
struct ReplicatedEnvelopeTests {
    @Test("a follower's copy has the primary's bytes and root; an envelope naming another place is refused")
    func storedUnchanged() throws {
        let primary = try LogFixture()
        _ = try primary.log.append(request("a", .any, [event(), event()]))
        _ = try primary.log.append(request("b", .any, [event()]))
        let envelopes = try primary.log.readAll(limit: 10).map { try ReplicatedEnvelope($0.bytes) }

        let follower = try LogFixture()
        let first = try AppendRequest(
            stream: "a",
            expected: .exact(0),
            events: envelopes[0..<2].map(\.event),
            position: 1
        )
        #expect(try follower.log.append(first).last == 2)
        // The envelope of stream b at position 3, offered as stream a's, or at another position: refused, nothing written.
        let misplaced = [
            try AppendRequest(stream: "a", expected: .any, events: [envelopes[2].event], position: 3),
            try AppendRequest(stream: "b", expected: .exact(0), events: [envelopes[1].event], position: 3),
        ]
        for request in misplaced {
            #expect(throws: EventLogError.self) { try follower.log.append(request) }
        }
        #expect(follower.log.head.position == 2)
        let last = try AppendRequest(stream: "b", expected: .exact(0), events: [envelopes[2].event], position: 3)
        #expect(try follower.log.append(last).first == 3)
        #expect(try follower.log.readAll(limit: 10).map(\.bytes) == envelopes.map(\.bytes))
        #expect(follower.log.head == primary.log.head)
        // Its id is stored now: the same envelope again is refused, not taken as a retry.
        let again = try AppendRequest(stream: "b", expected: .any, events: [envelopes[2].event], position: 4)
        #expect(throws: EventLogError.self) { try follower.log.append(again) }
    }

    @Test("bytes that are not a stored envelope's are refused")
    func malformed() throws {
        let fixture = try LogFixture()
        _ = try fixture.log.append(request("a", .any, [event()]))
        let good = try #require(try fixture.log.readAll(limit: 1).first).bytes
        let text = String(decoding: good, as: UTF8.self)
        for bad in [
            "", "{}", String(text.dropLast()), text.replacingOccurrences(of: #""position":1"#, with: #""position":0"#),
            text.replacingOccurrences(of: #""type":"thing-happened""#, with: #""type":"bad type""#),
            text.replacingOccurrences(of: #""recorded":""#, with: #""recorded":"x"#),
        ] {
            #expect(throws: EventLogError.self, "\(bad)") { try ReplicatedEnvelope(Array(bad.utf8)) }
        }
        #expect(try ReplicatedEnvelope(good).bytes == good)
    }
}
