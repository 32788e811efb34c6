import LedgerJSON
import Testing

@testable import Commissioning

@Suite("Packed stamp texts")
struct PackedTextTests {
    @Test(
        "texts of their shape are packed and come back exactly; others are kept as they are",
        arguments: [
            ("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f", TextShape.uuid, true),
            ("00000000-0000-0000-0000-000000000000", TextShape.uuid, true),
            ("0190F3A0-7C1E-7D2A-9B3C-1A2B3C4D5E6F", TextShape.uuid, false),
            ("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6", TextShape.uuid, false),
            ("0190f3a0x7c1e-7d2a-9b3c-1a2b3c4d5e6f", TextShape.uuid, false),
            ("2026-12-01T09:30:00.000123Z", TextShape.timestamp, true),
            ("2026-12-01T09:30:00Z", TextShape.timestamp, false),
            ("", TextShape.timestamp, false),
            ("é026-12-01T09:30:00.00012Z", TextShape.timestamp, false),
        ]
    )
    func roundTrip(text: String, shape: StaticString, packs: Bool) {
        let packed = PackedText<TwoWords>(text, shape: shape)
        #expect(packed.text(shape: shape) == text)
        if case .packed = packed { #expect(packs) } else { #expect(!packs) }
    }

    @Test("a leaf hash packs into four words, every digit in its place")
    func hashes() {
        let digits = Array("0123456789abcdef")
        for rotation in 0..<16 {
            let text = String((0..<64).map { digits[($0 + rotation) % 16] })
            let packed = PackedText<FourWords>(text, shape: TextShape.sha256)
            #expect(packed.text(shape: TextShape.sha256) == text)
            #expect(packed == PackedText<FourWords>(text, shape: TextShape.sha256))
            #expect(packed != PackedText<FourWords>(String(text.reversed()), shape: TextShape.sha256))
        }
        #expect(
            PackedText<TwoWords>(String(repeating: "a", count: 64), shape: TextShape.sha256)
                == .text(String(repeating: "a", count: 64))
        )
    }

    @Test("a stamp gives back what it was given, and its month from the packed digits")
    func stamps() {
        let stamp = Stamp(
            position: 7,
            texts: EventTexts(
                id: "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f",
                recorded: "2026-02-28T23:59:59.999999Z",
                leafHash: String(repeating: "f0", count: 32)
            ),
            actor: "officer-1"
        )
        #expect(stamp.id == "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f")
        #expect(stamp.recorded == "2026-02-28T23:59:59.999999Z")
        #expect(stamp.leafHash == String(repeating: "f0", count: 32))
        #expect(stamp.recordedPeriod == Period("2026-02"))
        for recorded in ["1969-12-31T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-1a-01T00:00:00.000000Z"] {
            let odd = Stamp(position: 1, texts: EventTexts(id: "x", recorded: recorded, leafHash: nil), actor: nil)
            #expect(odd.recordedPeriod == nil)
            #expect(odd.id == "x")
            #expect(odd.leafHash == nil)
        }
        let text = Stamp(position: 1, texts: EventTexts(id: "x", recorded: "2026-03", leafHash: nil), actor: nil)
        #expect(text.recordedPeriod == Period("2026-03"))
    }

    @Test("texts read in place from stored JSON and a hash's bytes pack as their strings do")
    func inPlace() throws {
        let id = "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"
        let recorded = "2026-02-28T23:59:59.999999Z"
        let root = try JSONDocument.parsing(Array(#"{"id":"\#(id)","recorded":"\#(recorded)","odd":"a\u0062"}"#.utf8))
            .root
        var hash = SIMD32<UInt8>()
        for index in 0..<32 { hash[index] = UInt8(index * 7 + 3) }
        let hex = (0..<32).map { String(repeating: "0", count: hash[$0] < 16 ? 1 : 0) + String(hash[$0], radix: 16) }
            .joined()
        let read = EventTexts(
            id: try #require(root["id"]),
            recorded: try #require(root["recorded"]),
            leafHash: PackedText(sha256: hash)
        )
        #expect(read == EventTexts(id: id, recorded: recorded, leafHash: hex))
        #expect(read.leafHash == hex)
        #expect(PackedText<TwoWords>(try #require(root["odd"]), shape: TextShape.uuid) == .text("ab"))
    }
}
