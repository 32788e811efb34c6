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
        ordinal = Self.daysFromCivil(year: normalizedYear, month: normalizedMonth, day: day)
    }

    /// Parses `YYYY-MM-DD` for a real date from 1970 on; nil for anything else.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Digits.value(bytes[0..<4]), let month = Digits.value(bytes[5..<7]),
            let day = Digits.value(bytes[8..<10]), year >= 1970, (1...12).contains(month),
            day >= 1, day <= Self.daysIn(year: year, month: month)
        else { return nil }
        ordinal = Self.daysFromCivil(year: year, month: month, day: day)
    }

    /// The day `days` later (or earlier, when negative).
    func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The `YYYY-MM-DD` form.
    var text: String {
        let (year, month, day) = Self.civil(fromDays: ordinal)
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

    /// Howard Hinnant's `days_from_civil`.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's `civil_from_days`.
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
