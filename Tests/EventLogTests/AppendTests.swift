import EventLog
import LedgerJSON
import LedgerTestSupport
import LedgerWire
import Testing

@Suite("Event log appends and reads")
struct AppendTests {
    @Test("events round trip: positions, versions and envelope fields come back as written")
    func roundTrip() throws {
        let fixture = try LogFixture()
        let first = event("case-opened", ["ref": "P-1", "amount": 1250])
        let second = event("case-closed", ["ref": "P-1"])
        let result = try fixture.log.append(request("case-1", .noStream, [first, second]))
        #expect(result == AppendResult(first: 1, last: 2, version: 2, duplicate: false))

        let all = try fixture.log.readAll(from: 1, limit: 10)
        #expect(all.map(\.position) == [1, 2])
        let decoded = try all[0].decoded()
        #expect(decoded.stream == "case-1")
        #expect(decoded.version == 1)
        #expect(decoded.id == first.id)
        #expect(decoded.type == "case-opened")
        #expect(decoded.data == ["amount": 1250, "ref": "P-1"])
        #expect(decoded.meta == ["actor": "test"])
        #expect(all[1].type == "case-closed")
        #expect(all[0].type == "case-opened" && all[0].recorded.map(String.init) == decoded.recorded)
        #expect(try fixture.log.read(stream: "case-1", from: 2, limit: 10).map(\.position) == [2])
        #expect(try fixture.log.event(at: 2) == all[1])
        #expect(try fixture.log.event(id: first.id) == all[0])
        #expect(try fixture.log.event(at: 3) == nil)
        #expect(try fixture.log.version(of: "case-1") == 2)
        #expect(try fixture.log.version(of: "nothing") == 0)
    }

    @Test("the stored envelope is compact JSON with fields in a fixed order and canonical data")
    func envelopeShape() throws {
        let fixture = try LogFixture()
        let id = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        let proposed = try ProposedEvent(
            id: id.description,
            type: "t",
            data: try JSONParser.parse(#"{ "b": 1, "a": [true, null] }"#)
        )
        _ = try fixture.log.append(request("s", .any, [proposed]))
        let stored = try #require(try fixture.log.event(at: 1))
        let text = String(decoding: stored.bytes, as: UTF8.self)
        let recorded = try stored.decoded().recorded
        #expect(
            text == #"{"position":1,"stream":"s","version":1,"id":"0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f","type":"t","#
                + #""recorded":"\#(recorded)","data":{"a":[true,null],"b":1},"meta":{}}"#
        )
        #expect(recorded.count == 27 && recorded.hasSuffix("Z"))
    }

    @Test("reads honour from and limit across streams")
    func readLimits() throws {
        let fixture = try LogFixture()
        for index in 0..<10 {
            _ = try fixture.log.append(request(index.isMultiple(of: 2) ? "even" : "odd", .any, [event()]))
        }
        #expect(try fixture.log.readAll(from: 4, limit: 3).map(\.position) == [4, 5, 6])
        #expect(try fixture.log.readAll(from: 0, limit: 2).map(\.position) == [1, 2])
        #expect(try fixture.log.readAll(from: 11, limit: 5).isEmpty)
        #expect(try fixture.log.read(stream: "odd", from: 2, limit: 2).map(\.position) == [4, 6])
        #expect(try fixture.log.read(stream: "od", limit: 10).isEmpty)
    }

    @Test(
        "every expected-version case",
        arguments: [
            (ExpectedVersion.any, UInt64(0), true), (.any, 2, true),
            (.noStream, 0, true), (.noStream, 2, false),
            (.streamExists, 0, false), (.streamExists, 2, true),
            (.exact(0), 0, true), (.exact(0), 2, false), (.exact(2), 2, true), (.exact(1), 2, false),
            (.exact(3), 2, false),
        ]
    )
    func expectedVersions(expected: ExpectedVersion, current: UInt64, accepted: Bool) throws {
        let fixture = try LogFixture()
        if current > 0 {
            _ = try fixture.log.append(request("s", .any, (0..<current).map { _ in event() }))
        }
        let before = fixture.log.head
        do {
            let result = try fixture.log.append(request("s", expected, [event()]))
            #expect(accepted)
            #expect(result.version == current + 1)
        } catch let error {
            #expect(!accepted)
            #expect(error == .wrongExpectedVersion(stream: "s", expected: expected, actual: current))
            #expect(fixture.log.head == before)
        }
    }

    @Test("expected versions parse from their wire form")
    func expectedVersionText() {
        #expect(ExpectedVersion("any") == .any)
        #expect(ExpectedVersion("none") == .noStream)
        #expect(ExpectedVersion("exists") == .streamExists)
        #expect(ExpectedVersion("0") == .exact(0))
        #expect(ExpectedVersion("42") == .exact(42))
        for bad in ["", "-1", "1.5", "x", "+3", "99999999999999999999"] { #expect(ExpectedVersion(bad) == nil) }
    }

    @Test("re-appending identical events after reopening returns the original positions as a duplicate")
    func idempotentAcrossReopen() throws {
        let directory = try TemporaryDirectory()
        let events = [event("a"), event("b")]
        do {
            let log = try LogFixture.open(directory.path)
            _ = try log.append(request("other", .any, [event()]))
            #expect(try log.append(request("s", .noStream, events)).first == 2)
        }
        let reopened = try LogFixture.open(directory.path)
        let retry = try reopened.append(request("s", .noStream, events))
        #expect(retry == AppendResult(first: 2, last: 3, version: 2, duplicate: true))
        #expect(reopened.head.position == 3)
    }

    @Test("the same id with different content, or a batch only partly stored, is a duplicate-id conflict")
    func conflictingDuplicates() throws {
        let fixture = try LogFixture()
        let original = event("a", ["n": 1])
        _ = try fixture.log.append(request("s", .any, [original]))
        let changed = event("a", ["n": 2], id: original.id)
        #expect {
            try fixture.log.append(request("s", .any, [changed]))
        } throws: { error in
            guard case .duplicateID(let id, let position, _) = error as? EventLogError else { return false }
            return id == original.id && position == 1
        }
        #expect(throws: EventLogError.self) {
            try fixture.log.append(request("other-stream", .any, [original]))
        }
        #expect(throws: EventLogError.self) {
            try fixture.log.append(request("s", .any, [original, event()]))
        }
        #expect(fixture.log.head.position == 1)
    }

    @Test("an atomic batch with one bad event writes nothing")
    func atomicBatch() throws {
        let fixture = try LogFixture()
        let good = event()
        #expect(throws: EventLogError.self) {
            _ = try ProposedEvent(json: ["id": "not-a-uuid", "type": "t", "data": [:]] as JSONValue, index: 1)
        }
        #expect(
            throws: EventLogError.invalidEvent(index: 1, field: "id", message: "\(good.id) appears twice in this batch")
        ) {
            _ = try AppendRequest(stream: "s", expected: .any, events: [good, good])
        }
        let stored = event()
        _ = try fixture.log.append(request("s", .any, [stored]))
        // The second event's id is already stored elsewhere with other content: the whole batch is refused.
        let conflicting = event("other", ["x": 1], id: stored.id)
        #expect(throws: EventLogError.self) {
            try fixture.log.append(request("t", .any, [event(), conflicting]))
        }
        #expect(fixture.log.head.position == 1)
        #expect(try fixture.log.version(of: "t") == 0)
    }

    @Test("one refused request in a group commit does not affect the others")
    func groupIsolation() throws {
        let fixture = try LogFixture()
        let results = fixture.log.append([
            request("a", .noStream, [event()]),
            request("a", .noStream, [event()]),
            request("b", .exact(0), [event(), event()]),
        ])
        #expect(try results[0].get().last == 1)
        #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .noStream, actual: 1)) {
            try results[1].get()
        }
        #expect(try results[2].get() == AppendResult(first: 2, last: 3, version: 2, duplicate: false))
    }

    @Test("stream names and event types follow the naming rule")
    func naming() {
        for good in ["case-1", "a", "Contract:2026/x".replacingOccurrences(of: "/", with: "."), "x@y_z.1"] {
            #expect(Naming.isValid(good), "\(good)")
        }
        for bad in ["", "-a", "a/b", "a b", "a\u{0}", "é", String(repeating: "a", count: 129), "a\nb"] {
            #expect(!Naming.isValid(bad), "\(bad)")
        }
        #expect(throws: EventLogError.invalidStreamName("a/b")) {
            _ = try AppendRequest(stream: "a/b", expected: .any, events: [event()])
        }
    }
}

@Suite("Appends at a required position")
struct PositionedAppendTests {
    @Test("a request for another position than the next is refused and writes nothing")
    func positioned() throws {
        let fixture = try LogFixture()
        _ = try fixture.log.append(request("s", .any, [event()]))
        let elsewhere = try AppendRequest(stream: "s", expected: .any, events: [event()], position: 5)
        #expect(throws: EventLogError.invalidArgument("events for position 5 would go to 2")) {
            try fixture.log.append(elsewhere)
        }
        #expect(fixture.log.head.position == 1)
        let next = try AppendRequest(stream: "s", expected: .any, events: [event(), event()], position: 2)
        #expect(try fixture.log.append(next).first == 2)
    }
}
