import LedgerWire
import SeededRandom
import Testing

@Suite("Event ids")
struct EventIDTests {
    /// The id the canonical parse makes of `text`, or nil.
    private func canonical(_ text: String) -> EventID? {
        Array(text.utf8).withUnsafeBufferPointer { EventID(canonical: $0) }
    }

    /// Ids of random bytes, many of them sharing their first 8 bytes (so that the last 8 decide their order).
    private func randomIDs(_ count: Int, seed: UInt64) -> [EventID] {
        var generator = SplitMix64(seed: seed)
        let sharedHighs = (0..<4).map { _ in generator.next() }
        return (0..<count).compactMap { index in
            let high = index.isMultiple(of: 2) ? generator.next() : sharedHighs[index % 4]
            var bytes = [UInt8]()
            for word in [high, generator.next()] {
                withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) }
            }
            // Some ids end in 0x00 or 0xff, the bytes an unsigned comparison gets wrong if it is signed.
            if index % 5 == 0 { bytes[15] = index % 10 == 0 ? 0x00 : 0xFF }
            return EventID(bytes: bytes)
        }
    }

    @Test("text and bytes round-trip; the text is canonical lowercase, and withUnsafeBytes gives the bytes")
    func roundTrip() throws {
        let id = try #require(EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        #expect(
            id.bytes == [
                0x01, 0x90, 0xF3, 0xA0, 0x7C, 0x1E, 0x7D, 0x2A, 0x9B, 0x3C, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E, 0x6F,
            ]
        )
        #expect(id.withUnsafeBytes { Array($0) } == id.bytes)
        for random in randomIDs(500, seed: 1) {
            let text = random.description
            #expect(text.count == 36 && text == text.lowercased())
            #expect(EventID(text) == random && EventID(text[...]) == random)
            #expect(canonical(text) == random)
            #expect(EventID(bytes: random.bytes) == random)
            #expect(random.withUnsafeBytes { EventID(bytes: $0) } == random)
            var appended = Array("id ".utf8)
            random.appendText(to: &appended)
            #expect(appended == Array("id \(text)".utf8))
        }
        #expect(EventID.min.description == "00000000-0000-0000-0000-000000000000")
        #expect(EventID.max.description == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test("uppercase digits are accepted as the same id, but not by the canonical parse")
    func upperCase() throws {
        var generator = SplitMix64(seed: 2)
        for _ in 0..<100 {
            let id = EventID.v4(using: &generator)
            let upper = id.description.uppercased()
            #expect(EventID(upper) == id)
            #expect(canonical(upper) == nil)
        }
        let mixed = "0190F3A0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"
        #expect(EventID(mixed) == EventID("0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"))
        #expect(canonical(mixed) == nil)
    }

    @Test(
        "texts other than 36 characters of hex digits with dashes in the UUID places are refused",
        arguments: [
            "", "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6", "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f0",
            "0190f3a0x7c1e-7d2a-9b3c-1a2b3c4d5e6f", "0190f3a07c1e-7d2a-9b3c-1a2b3c4d5e6f0",
            "0190f3a0-7c1e-7d2a-9b3c1a2b3c4d5e6f-", "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6g",
            "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6G", "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6 ",
            "{190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6}", "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5eé",
            "0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e-f", "------------------------------------",
        ]
    )
    func badTexts(text: String) {
        #expect(EventID(text) == nil)
        #expect(canonical(text) == nil)
    }

    @Test("only 16 bytes make an id")
    func badBytes() {
        #expect(EventID(bytes: [UInt8](repeating: 1, count: 15)) == nil)
        #expect(EventID(bytes: [UInt8](repeating: 1, count: 17)) == nil)
        #expect(EventID(bytes: []) == nil)
    }

    @Test("ids order and compare equal as their bytes do (memcmp, the id index's order)")
    func byteOrder() {
        let ids = randomIDs(300, seed: 3) + [.min, .max]
        for left in ids {
            for right in ids {
                #expect((left < right) == left.bytes.lexicographicallyPrecedes(right.bytes))
                #expect((left == right) == (left.bytes == right.bytes))
            }
        }
        #expect(ids.sorted().map(\.bytes) == ids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test("a v7 id holds the milliseconds in its first 6 bytes, then version 7, the sequence and the RFC 9562 variant")
    func v7Layout() {
        var generator = SplitMix64(seed: 4)
        let milliseconds: UInt64 = 0x0190_F3A0_7C1E
        for sequence: UInt16 in [0, 1, 0x0ABC, 0x0FFF, 0xFFFF] {
            let bytes = EventID.v7(milliseconds: milliseconds, sequence: sequence, using: &generator).bytes
            #expect(bytes[0..<6] == [0x01, 0x90, 0xF3, 0xA0, 0x7C, 0x1E])
            #expect(bytes[6] >> 4 == 7)
            #expect(UInt16(bytes[6] & 0x0F) << 8 | UInt16(bytes[7]) == sequence & 0x0FFF)
            #expect(bytes[8] >> 6 == 0b10)
        }
        // Only the low 48 bits of the time are kept, the width of the field.
        for index in 0..<100 {
            let time = UInt64(index) << 48 | UInt64(index) << 40 | 0x90_F3A0_7C1E
            let bytes = EventID.v7(milliseconds: time, using: &generator).bytes
            #expect(bytes[0] == UInt8(index) && bytes[1..<6] == [0x90, 0xF3, 0xA0, 0x7C, 0x1E])
            #expect(bytes[6] >> 4 == 7 && bytes[8] >> 6 == 0b10)
        }
    }

    @Test("a v4 id carries version 4 and the RFC 9562 variant")
    func v4Layout() {
        var generator = SplitMix64(seed: 5)
        for _ in 0..<100 {
            let bytes = EventID.v4(using: &generator).bytes
            #expect(bytes[6] >> 4 == 4 && bytes[8] >> 6 == 0b10)
        }
    }

    @Test("a seed gives the same ids as it always has (benchmark workloads and tests depend on them)")
    func seededIDs() {
        var generator = SplitMix64(seed: 1)
        #expect(
            EventID.v7(milliseconds: 1_790_000_000_000, using: &generator).description
                == "01a0c450-6c00-7cc1-a7ec-8e65a18debbe"
        )
        #expect(EventID.v4(using: &generator).description == "5e5532fb-eea2-43f8-8bc9-42ee9086c171")
        #expect(
            EventID.v7(milliseconds: 1_790_000_000_001, sequence: 5, using: &generator).description
                == "01a0c450-6c01-7005-b9b5-01d1d854bb71"
        )
    }

    @Test("a sequence number orders ids of one millisecond and sits in the 12 rand_a bits")
    func v7Sequence() throws {
        var generator = SplitMix64(seed: 7)
        let ids = (0..<4096).map {
            EventID.v7(milliseconds: 1_790_000_000_000, sequence: UInt16($0), using: &generator)
        }
        for (earlier, later) in zip(ids, ids.dropFirst()) { #expect(earlier < later) }
        let last = try #require(ids.last)
        #expect(last.description.hasPrefix("01a0c450-6c00-7fff-"))
        let nextMillisecond = EventID.v7(milliseconds: 1_790_000_000_001, sequence: 0, using: &generator)
        #expect(last < nextMillisecond)
    }

    @Test("a v7 id of a later millisecond sorts after one of an earlier millisecond")
    func v7TimeOrder() {
        var generator = SplitMix64(seed: 8)
        let early = EventID.v7(milliseconds: 1_000, using: &generator)
        let late = EventID.v7(milliseconds: 2_000, using: &generator)
        #expect(early < late && !(late < early))
    }
}
