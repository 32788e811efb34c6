/// The numbers a request carries (positions, versions, tree sizes, limits): ASCII digits only, from 0 to 2^63 - 1,
/// so that every value fits a client's signed 64-bit integer and no arithmetic on it can overflow.
public enum DecimalArgument {
    /// The largest number a request may carry, 2^63 - 1.
    public static let maximum = UInt64(Int64.max)

    /// The value of `word`, or nil when it holds anything but digits or exceeds `maximum`.
    public static func parse(_ word: some StringProtocol) -> UInt64? {
        guard !word.utf8.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in word.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let digit = UInt64(byte - UInt8(ascii: "0"))
            guard !overflowed, shifted <= maximum - digit else { return nil }
            value = shifted + digit
        }
        return value
    }

    /// Whether `word` is made of digits only (a number, perhaps out of range).
    public static func isDigits(_ word: some StringProtocol) -> Bool {
        !word.utf8.isEmpty && word.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
