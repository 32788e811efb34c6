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
            id: "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f",
            recorded: "2026-02-28T23:59:59.999999Z",
            actor: "officer-1",
            leafHash: String(repeating: "f0", count: 32)
        )
        #expect(stamp.id == "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f")
        #expect(stamp.recorded == "2026-02-28T23:59:59.999999Z")
        #expect(stamp.leafHash == String(repeating: "f0", count: 32))
        #expect(stamp.recordedPeriod == Period("2026-02"))
        for recorded in ["1969-12-31T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-1a-01T00:00:00.000000Z"] {
            let odd = Stamp(position: 1, id: "x", recorded: recorded, actor: nil, leafHash: nil)
            #expect(odd.recordedPeriod == nil)
            #expect(odd.id == "x")
            #expect(odd.leafHash == nil)
        }
        let text = Stamp(position: 1, id: "x", recorded: "2026-03", actor: nil, leafHash: nil)
        #expect(text.recordedPeriod == Period("2026-03"))
    }
}
