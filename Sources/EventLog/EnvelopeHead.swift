#if canImport(Glibc)
import Glibc
#endif

/// The leading fields of a stored envelope, `{"position":P,"stream":"S","version":V,"id":"I",` (and with
/// `typeAndRecorded`, `"type":"T","recorded":"R",`), read in place without parsing the JSON: `Envelope.write` always
/// puts them first in this form, and neither stream names, ids, types nor recorded times can hold a quote or an
/// escape.
struct EnvelopeHead {
    let position: UInt64
    /// Where the stream name's bytes are (without quotes).
    let stream: Range<Int>
    let version: UInt64
    /// Where the id's text is (without quotes).
    let id: Range<Int>
    /// Where the type's and the recorded time's texts are (without quotes), when read.
    let typeAndRecorded: (type: Range<Int>, recorded: Range<Int>)?

    /// Reads the head of `bytes`, and the type and recorded time after it when `typeAndRecorded`; nil when they do
    /// not begin in that form.
    init?(_ bytes: UnsafeBufferPointer<UInt8>, typeAndRecorded: Bool = false) {
        var reader = Reader(bytes: bytes)
        guard reader.skip(#"{"position":"#), let position = reader.number(),
            reader.skip(#","stream":""#), let stream = reader.text(),
            reader.skip(#","version":"#), let version = reader.number(),
            reader.skip(#","id":""#), let id = reader.text(), reader.skip(",")
        else { return nil }
        if typeAndRecorded {
            guard reader.skip(#""type":""#), let type = reader.text(),
                reader.skip(#","recorded":""#), let recorded = reader.text(), reader.skip(",")
            else { return nil }
            self.typeAndRecorded = (type, recorded)
        } else {
            self.typeAndRecorded = nil
        }
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        /// Moves past `literal` when the bytes continue with it.
        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard let base = bytes.baseAddress, bytes.count - index >= count,
                memcmp(base + index, literal.utf8Start, count) == 0
            else { return false }
            index += count
            return true
        }

        /// A decimal `UInt64` (1-20 digits, no overflow).
        mutating func number() -> UInt64? {
            var value: UInt64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                let digit = UInt64(bytes[index] - 0x30)
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = shifted.addingReportingOverflow(digit)
                guard !overflow, !carry else { return nil }
                value = sum
                index += 1
            }
            return index > start ? value : nil
        }

        /// The bytes up to the next quote, moving past the quote; nil at a backslash or the end.
        mutating func text() -> Range<Int>? {
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<(index - 1)
                case UInt8(ascii: "\\"):
                    return nil
                default:
                    index += 1
                }
            }
            return nil
        }
    }
}
