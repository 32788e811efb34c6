import LedgerJSON
import LedgerWire
import Testing

@testable import Commissioning

@Suite("Packed event ids and recorded times")
struct EventTextsTests {
    @Test(
        "UUID texts pack and come back exactly; others do not pack",
        arguments: [
            ("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f", true),
            ("00000000-0000-0000-0000-000000000000", true),
            ("ffffffff-ffff-ffff-ffff-ffffffffffff", true),
            ("0190F3A0-7C1E-7D2A-9B3C-1A2B3C4D5E6F", false),
            ("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6", false),
            ("0190f3a0x7c1e-7d2a-9b3c-1a2b3c4d5e6f", false),
            ("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6g", false),
        ]
    )
    func uuids(text: String, packs: Bool) {
        let packed = text.withUTF8Buffer { EventID(canonical: $0) }
        #expect((packed != nil) == packs)
        if let packed { #expect(packed.description == text) }
    }

    @Test("every hex digit keeps its place in a packed UUID")
    func uuidDigits() {
        let digits = Array("0123456789abcdef")
        var seen = Set<EventID>()
        for rotation in 0..<16 {
            var text = String((0..<32).map { digits[($0 + rotation) % 16] })
            for dash in [8, 13, 18, 23] { text.insert("-", at: text.index(text.startIndex, offsetBy: dash)) }
            let packed = text.withUTF8Buffer { EventID(canonical: $0) }
            #expect(packed?.description == text)
            if let packed { seen.insert(packed) }
        }
        #expect(seen.count == 16)
    }

    @Test(
        "recorded times of the log's shape pack and come back exactly; others do not pack",
        arguments: [
            ("2026-12-01T09:30:00.000123Z", true),
            ("0000-00-00T00:00:00.000000Z", true),
            ("9999-15-31T31:63:63.999999Z", true),
            ("2026-16-01T09:30:00.000123Z", false),
            ("2026-12-32T09:30:00.000123Z", false),
            ("2026-12-01T32:30:00.000123Z", false),
            ("2026-12-01T09:64:00.000123Z", false),
            ("2026-12-01T09:30:64.000123Z", false),
            ("2026-12-01T09:30:00Z", false),
            ("2026-12-01 09:30:00.000123Z", false),
            ("2026-12-01T09:30:00.000123+", false),
            ("", false),
            ("é026-12-01T09:30:00.00012Z", false),
        ]
    )
    func timestamps(text: String, packs: Bool) {
        let packed = text.withUTF8Buffer { PackedTimestamp(utf8: $0) }
        #expect((packed != nil) == packs)
        if let packed { #expect(packed.text == text) }
    }

    @Test("texts give back what they were given, packed or not, and the month they were recorded in")
    func texts() {
        let texts = EventTexts(id: "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f", recorded: "2026-02-28T23:59:59.999999Z")
        #expect(texts.id == "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f")
        #expect(texts.recorded == "2026-02-28T23:59:59.999999Z")
        #expect(texts.recordedPeriod == Period("2026-02"))
        let stamp = Stamp(position: 7, texts: texts, actor: "officer-1")
        #expect(stamp.id == texts.id && stamp.recordedPeriod == Period("2026-02"))
        for recorded in ["1969-12-31T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-1a-01T00:00:00.000000Z"] {
            let odd = EventTexts(id: "x", recorded: recorded)
            #expect(odd.recordedPeriod == nil)
            #expect(odd.id == "x" && odd.recorded == recorded)
            #expect(odd != EventTexts(id: "y", recorded: recorded))
        }
        #expect(EventTexts(id: "x", recorded: "2026-03").recordedPeriod == Period("2026-03"))
        // An unpackable id keeps the recorded time as it is too; equal texts are equal however they are kept.
        var changed = texts
        changed.id = "not-a-uuid"
        #expect(changed.id == "not-a-uuid" && changed.recorded == texts.recorded)
        changed.id = texts.id
        #expect(changed == texts)
        // An id in uppercase is a UUID, but its text is kept as it is, not packed to its lowercase form.
        let upper = EventTexts(id: "0190F3A0-7C1E-7D2A-9B3C-1A2B3C4D5E6F", recorded: texts.recorded)
        #expect(upper.id == "0190F3A0-7C1E-7D2A-9B3C-1A2B3C4D5E6F" && upper != texts)
        #expect(MemoryLayout<EventTexts>.size == 32)
    }

    @Test("texts read in place from stored JSON pack as their strings do")
    func inPlace() throws {
        let id = "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"
        let recorded = "2026-02-28T23:59:59.999999Z"
        let root = try JSONDocument.parsing(
            Array(#"{"id":"\#(id)","recorded":"\#(recorded)","odd":"a\u0062","number":5}"#.utf8)
        ).root
        let read = EventTexts(id: try #require(root["id"]), recorded: try #require(root["recorded"]))
        #expect(read == EventTexts(id: id, recorded: recorded))
        let odd = EventTexts(id: try #require(root["odd"]), recorded: try #require(root["number"]))
        #expect(odd == EventTexts(id: "ab", recorded: ""))
    }
}
