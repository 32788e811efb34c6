import Commissioning
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Every example in `Protocols/events.md` is checked here, so the catalogue cannot drift from the code.
@Suite("Protocols/events.md")
struct CatalogueSpecTests {
    /// A fenced example: its tag, JSON text, and the `field:` line after it, if any.
    struct Example {
        var tag: String
        var json: String
        var field: String?
        var line: Int
    }

    static func examples() throws -> [Example] {
        try SpecDocument("Protocols/events.md").blocks(["event", "invalid-event"]).map { block in
            let field = block.following.flatMap { $0.hasPrefix("field: ") ? String($0.dropFirst(7)) : nil }
            return Example(tag: block.info, json: block.lines.joined(separator: "\n"), field: field, line: block.line)
        }
    }

    static func validate(_ example: Example) throws -> Result<EventRequirements, InvalidEvent> {
        let value = try JSONParser.parse(example.json)
        let stream = try #require(value["stream"]?.stringValue, "line \(example.line): no stream")
        let type = try #require(value["type"]?.stringValue, "line \(example.line): no type")
        let data = try #require(value["data"], "line \(example.line): no data")
        return Result { () throws(InvalidEvent) in
            try Catalogue.validate(stream: stream, type: type, data: data, meta: value["meta"] ?? [:])
        }
    }

    @Test("the spec has examples of every event type")
    func coverage() throws {
        let examples = try Self.examples()
        let types = Set(
            try examples.filter { $0.tag == "event" }.compactMap { try JSONParser.parse($0.json)["type"]?.stringValue }
        )
        for type in [
            "commissioner-registered", "provider-registered", "provider-rating-changed", "provider-scale-changed",
            "consortium-registered", "need-assessed", "requirement-published", "offer-submitted", "offers-evaluated",
            "provider-selected", "contract-agreed", "contract-varied", "contract-ended", "service-delivered",
            "outcome-measured", "outcome-verified", "outcome-rejected", "outcome-verification-withdrawn",
            "payment-approved", "payment-made", "correction",
        ] {
            #expect(types.contains(type), "no example of \(type)")
        }
    }

    @Test("every ```event block validates")
    func validExamples() throws {
        for example in try Self.examples() where example.tag == "event" {
            if case .failure(let error) = try Self.validate(example) {
                Issue.record("events.md line \(example.line): \(error)")
            }
        }
    }

    @Test("every ```invalid-event block is refused naming the field on its field: line")
    func invalidExamples() throws {
        let invalid = try Self.examples().filter { $0.tag == "invalid-event" }
        #expect(invalid.count >= 10)
        for example in invalid {
            let field = try #require(example.field, "events.md line \(example.line): no field: line")
            switch try Self.validate(example) {
            case .success: Issue.record("events.md line \(example.line): accepted")
            case .failure(let error): #expect(error.field == field, "events.md line \(example.line): \(error)")
            }
        }
    }
}
