import LedgerTestSupport
import Testing

/// `x-` extension events against the real daemon: on an entity's stream one needs that entity to exist, so it can
/// neither start the stream nor stand in for the entity in a reference; on any other stream it needs nothing.
@Suite("Extension events and entity streams")
struct ExtensionEventTests {
    /// An `APPEND` of one `x-review-note` to `stream`, with the id for `index`.
    static func note(_ stream: String, _ index: Int) -> String {
        #"APPEND \#(stream) any {"id":"\#(uuid(index))","type":"x-review-note","data":{"n":\#(index)}}"#
    }

    /// A `need-assessed` event object (creating a case of commissioner LA1), with the id for `index`.
    static func need(_ index: Int) -> String {
        #"{"id":"\#(uuid(index))","type":"need-assessed","#
            + #""data":{"personRef":"pr-\#(index)","commissioner":"LA1","outcomes":[],"preferences":[]}}"#
    }

    /// An `APPEND` of a `requirement-published` on `requirement-<id>` for case `caseID`, inviting provider P1.
    static func requirement(_ id: String, case caseID: String, _ index: Int) -> String {
        #"APPEND requirement-\#(id) any {"id":"\#(uuid(index))","type":"requirement-published","#
            + #""data":{"case":"\#(caseID)","commissioner":"LA1","route":"mini-competition","#
            + #""outcomes":[{"id":"A","measure":"safe at home"}],"preferences":[],"invited":["P1"]}}"#
    }

    /// The refusal of an event on `stream`, an entity's stream that does not exist.
    static func missing(_ stream: String) -> String {
        #"ERR INVALID_EVENT {"field":"stream","index":0,"message":"event 0: stream: \#(stream) does not exist","#
            + #""reason":"\#(stream) does not exist"}"#
    }

    @Test(
        "an x- event cannot start an entity's stream nor satisfy a reference; after the creating event it is accepted",
        .timeLimit(.minutes(1))
    )
    func entityStreams() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()

        // On a case that does not exist, and on every other kind of entity's stream: refused, nothing written.
        #expect(try client.request(Self.note("case-C1", 1)) == Self.missing("case-C1"))
        for stream in ["commissioner-LA9", "provider-P9", "consortium-X9", "requirement-R9", "contract-K9"] {
            #expect(try client.request(Self.note(stream, 2)) == Self.missing(stream))
        }
        try client.send("READ case-C1")
        #expect(try client.readSequence() == [#"END {"count":0,"next":1}"#])
        #expect(try BadInputTests.status("head", of: client) == 0)

        // The case's creating event is still the first of its stream; notes on the case follow it.
        let registered = try client.request(
            #"APPEND commissioner-LA1 none {"id":"\#(uuid(3))","type":"commissioner-registered","#
                + #""data":{"name":"Anytown Borough Council","kind":"local-authority"}}"#
        )
        #expect(registered == #"OK {"first":1,"last":1,"version":1}"#)
        let provider = try client.request(
            #"APPEND provider-P1 none {"id":"\#(uuid(4))","type":"provider-registered","#
                + #""data":{"name":"Riverside Home Care Ltd","scale":"small","voluntary":false,"regulator":"cqc","#
                + #""rating":"good"}}"#
        )
        #expect(provider == #"OK {"first":2,"last":2,"version":1}"#)
        #expect(try client.request("APPEND case-C1 none \(Self.need(5))") == #"OK {"first":3,"last":3,"version":1}"#)
        #expect(try client.request(Self.note("case-C1", 6)) == #"OK {"first":4,"last":4,"version":2}"#)

        // A stream that names no entity needs nothing.
        #expect(try client.request(Self.note("notes-1", 7)) == #"OK {"first":5,"last":5,"version":1}"#)

        // In one append, the creating event first makes the case exist for the note after it.
        let note = #"{"id":"\#(uuid(9))","type":"x-review-note","data":{}}"#
        let batch = try client.request("APPEND case-C2 none [\(Self.need(8)),\(note)]")
        #expect(batch == #"OK {"first":6,"last":7,"version":2}"#)

        // A note attempted on case C3 does not make a reference to the case pass; one to C1 does.
        #expect(try client.request(Self.note("case-C3", 10)) == Self.missing("case-C3"))
        let dangling = try client.request(Self.requirement("R3", case: "C3", 11))
        #expect(
            dangling == #"ERR INVALID_EVENT {"field":"data","index":0,"#
                + #""message":"event 0: data: refers to case-C3, which does not exist","#
                + #""reason":"refers to case-C3, which does not exist"}"#
        )
        #expect(try client.request(Self.requirement("R1", case: "C1", 12)) == #"OK {"first":8,"last":8,"version":1}"#)
        #expect(try BadInputTests.status("head", of: client) == 8)
        #expect(try client.request("VERIFY").hasPrefix("OK "))
    }
}
