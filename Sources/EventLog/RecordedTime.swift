import CivilCalendar

#if canImport(Glibc)
import Glibc
#endif

/// A server-assigned UTC timestamp with microsecond precision, written as `2026-11-22T20:55:00.123456Z`.
public struct RecordedTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since the Unix epoch.
    public let microseconds: UInt64

    public init(microseconds: UInt64) {
        self.microseconds = microseconds
    }

    /// Parses the exact form `description` writes (`2026-11-22T20:55:00.123456Z`); nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 27 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let fraction = number(20..<26), (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        guard days >= 0 else { return nil }
        let seconds = UInt64(days) * 86_400 + UInt64(hour * 3600 + minute * 60 + second)
        self.init(microseconds: seconds * 1_000_000 + UInt64(fraction))
        // Separators, and dates such as February 30, fail the round trip.
        guard description == text else { return nil }
    }

    /// The current wall-clock time.
    public static func now() -> RecordedTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return RecordedTime(microseconds: UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec / 1000))
    }

    public static func < (lhs: RecordedTime, rhs: RecordedTime) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// RFC 3339 text in UTC with exactly six fractional digits.
    public var description: String {
        String(decoding: utf8, as: UTF8.self)
    }

    /// The same text as `description`, as bytes.
    public var utf8: [UInt8] {
        let seconds = microseconds / 1_000_000
        let fraction = microseconds % 1_000_000
        let days = Int64(seconds / 86_400)
        let secondOfDay = seconds % 86_400
        let (year, month, day) = CivilDate.date(days: Int(days))
        var out = [UInt8]()
        out.reserveCapacity(27)
        func digits(_ value: UInt64, _ count: Int) {
            var divisor: UInt64 = 1
            for _ in 1..<count { divisor *= 10 }
            var remaining = value
            for _ in 0..<count {
                out.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
                remaining %= divisor
                divisor = max(divisor / 10, 1)
            }
        }
        digits(UInt64(year), 4)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(month), 2)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(day), 2)
        out.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(fraction, 6)
        out.append(UInt8(ascii: "Z"))
        return out
    }
}
