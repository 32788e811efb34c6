import Testing

@testable import EventLog

@Suite("Envelope head")
struct EnvelopeHeadTests {
    static func head(_ text: String) -> (position: UInt64, stream: String, version: UInt64, id: String)? {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            EnvelopeHead(bytes).map {
                (
                    $0.position, String(decoding: bytes[$0.stream], as: UTF8.self), $0.version,
                    String(decoding: bytes[$0.id], as: UTF8.self)
                )
            }
        }
    }

    @Test("reads position, stream, version and id from the front of a stored envelope")
    func readsHead() throws {
        let text =
            #"{"position":18446744073709551615,"stream":"case-C7","version":3,"id":"0190f3a0-7c1e-7d2a-9b3c-000000000001","type":"t","data":{}}"#
        let head = try #require(Self.head(text))
        #expect(head.position == UInt64.max)
        #expect(head.stream == "case-C7")
        #expect(head.version == 3)
        #expect(head.id == "0190f3a0-7c1e-7d2a-9b3c-000000000001")
    }

    @Test("anything else is nil: fields out of order, a number too large, an escape, a cut-off envelope")
    func refusesOthers() {
        for text in [
            #"{"stream":"s","position":1,"version":1,"id":"x",}"#,
            #"{"position":18446744073709551616,"stream":"s","version":1,"id":"x",}"#,
            #"{"position":1,"stream":"s\"t","version":1,"id":"x",}"#,
            #"{"position":,"stream":"s","version":1,"id":"x",}"#,
            #"{"position":1,"stream":"s","version":1,"id":"x"#,
            "",
        ] {
            #expect(Self.head(text) == nil, "\(text)")
        }
    }
}
