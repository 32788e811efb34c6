import CivilCalendar

/// A calendar date, written `YYYY-MM-DD` (proleptic Gregorian).
struct Day: Sendable, Hashable, Comparable {
    /// Days since 1970-01-01.
    let ordinal: Int

    /// The day with the given ordinal.
    init(ordinal: Int) {
        self.ordinal = ordinal
    }

    /// The given date; months past 12 roll into the next year (used for "the first of next month").
    init(year: Int, month: Int, day: Int) {
        let normalizedYear = year + (month - 1) / 12
        let normalizedMonth = (month - 1) % 12 + 1
        ordinal = CivilDate.days(year: normalizedYear, month: normalizedMonth, day: day)
    }

    /// Parses `YYYY-MM-DD` for a real date from 1970 on; nil for anything else.
    init?(_ text: String) {
        var text = text
        let ordinal = text.withUTF8 { bytes -> Int? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                let year = Digits.value(bytes[0..<4]), let month = Digits.value(bytes[5..<7]),
                let day = Digits.value(bytes[8..<10]), year >= 1970, (1...12).contains(month),
                day >= 1, day <= Self.daysIn(year: year, month: month)
            else { return nil }
            return CivilDate.days(year: year, month: month, day: day)
        }
        guard let ordinal else { return nil }
        self.ordinal = ordinal
    }

    /// The day `days` later (or earlier, when negative).
    func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The `YYYY-MM-DD` form.
    var text: String {
        let (year, month, day) = CivilDate.date(days: ordinal)
        return Digits.padded(year, 4) + "-" + Digits.padded(month, 2) + "-" + Digits.padded(day, 2)
    }

    static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    private static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
