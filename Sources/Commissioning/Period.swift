/// A calendar month, written `YYYY-MM`: the unit of delivery, measurement and payment.
struct Period: Sendable, Hashable, Comparable {
    /// Months since January of year 0.
    let index: Int32

    /// The month with the given index.
    init(index: Int32) {
        self.index = index
    }

    /// Parses `YYYY-MM` (year 1970...9999, month 01...12); nil for anything else.
    init?(_ text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes -> (year: Int, month: Int)? in
            guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
                let year = Digits.value(bytes[0..<4]), let month = Digits.value(bytes[5..<7])
            else { return nil }
            return (year, month)
        }
        guard let parsed else { return nil }
        self.init(year: parsed.year, month: parsed.month)
    }

    /// The month `month` (1...12) of `year` (1970...9999); nil for anything else, as for the text.
    init?(year: Int, month: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month) else { return nil }
        index = Int32(year * 12 + month - 1)
    }

    var year: Int { Int(index) / 12 }
    var month: Int { Int(index) % 12 + 1 }

    /// The month after this one.
    var next: Period { Period(index: index + 1) }

    /// The first day of the month.
    var firstDay: Day { Day(year: year, month: month, day: 1) }

    /// The last day of the month, when amounts for it are earned.
    var lastDay: Day { Day(year: year, month: month + 1, day: 1).adding(days: -1) }

    /// The `YYYY-MM` form.
    var text: String { Digits.padded(year, 4) + "-" + Digits.padded(month, 2) }

    static func < (lhs: Period, rhs: Period) -> Bool { lhs.index < rhs.index }
}

/// Small helpers for fixed-width decimal fields.
enum Digits {
    /// The value of a run of ASCII digits; nil when any byte is not a digit.
    static func value(_ bytes: some Sequence<UInt8>) -> Int? {
        var result = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
