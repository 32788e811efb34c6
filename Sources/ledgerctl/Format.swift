import LedgerJSON

#if canImport(Glibc)
import Glibc
#endif

/// Number formatting for people.
enum Format {
    /// `1234567` as `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Integer pence as pounds, e.g. `190000` as `£1,900.00` and `-5` as `-£0.05`.
    static func pounds(pence: Int64) -> String {
        let (pounds, pennies) = split(pence: pence)
        return "\(pence < 0 ? "-" : "")£\(count(Int(clamping: pounds))).\(pennies)"
    }

    /// Integer pence as pounds without the sign of the currency, for a column whose header says `£`: `1,900.00`.
    static func amount(pence: Int64) -> String {
        let (pounds, pennies) = split(pence: pence)
        return "\(pence < 0 ? "-" : "")\(count(Int(clamping: pounds))).\(pennies)"
    }

    /// Pence as pounds with two decimals and nothing else, for spreadsheets: `-1234.05`.
    static func plainPounds(pence: Int64) -> String {
        let (pounds, pennies) = split(pence: pence)
        return "\(pence < 0 ? "-" : "")\(pounds).\(pennies)"
    }

    /// The whole pounds of `pence`'s magnitude and its pennies as two digits.
    private static func split(pence: Int64) -> (pounds: UInt64, pennies: String) {
        let (pounds, remainder) = pence.magnitude.quotientAndRemainder(dividingBy: 100)
        return (pounds, remainder < 10 ? "0\(remainder)" : "\(remainder)")
    }

    /// Basis points as a percentage with two decimals, e.g. `2500` as `25.00%` (`25.00` without `symbol`).
    static func percent(basisPoints: Int64, symbol: Bool = true) -> String {
        let (whole, hundredths) = basisPoints.magnitude.quotientAndRemainder(dividingBy: 100)
        let sign = basisPoints < 0 ? "-" : ""
        return "\(sign)\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)\(symbol ? "%" : "")"
    }

    /// Seconds since the Unix epoch as UTC to the second: `2026-12-07 06:58:38`.
    static func utc(seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// An RFC 3339 UTC timestamp to the second, for people: `2026-12-07T06:46:58.318636Z` as `2026-12-07 06:46:58`;
    /// other text as it is.
    static func utc(_ timestamp: String) -> String {
        guard timestamp.count >= 19, timestamp.hasSuffix("Z"), Array(timestamp)[10] == "T" else { return timestamp }
        return timestamp.prefix(10) + " " + timestamp.dropFirst(11).prefix(8)
    }

    /// Microseconds as milliseconds with two decimals, e.g. `0.21`.
    static func milliseconds(_ microseconds: Int64) -> String {
        let hundredths = (microseconds + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// A byte count in binary units, e.g. `64.0 MiB`; `?` when not a number.
    static func bytes(_ value: JSONValue?) -> String {
        guard let bytes = value?.int64Value else { return "?" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var scaled = Double(bytes)
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = Int((scaled * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Seconds as `m:ss` or `h:mm:ss`.
    static func duration(seconds: Int) -> String {
        let (hours, minutes, secs) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    /// `text` wrapped at spaces into lines of at most `width` characters where its words allow: the first line
    /// starts with `indent`, the others with `continuation`. Words (an amount, an id) are never split.
    static func wrap(_ text: String, width: Int, indent: String, continuation: String) -> [String] {
        var lines = [String]()
        var line = indent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                (line, lineHasWord) = (continuation, false)
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        return lines + [line]
    }
}
