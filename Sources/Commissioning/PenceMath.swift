/// Exact integer arithmetic for money: products in 128 bits, one half-up rounding, results clamped to `Int64`.
enum PenceMath {
    /// `value / divisor` rounded half-up on the magnitude (half away from zero), clamped to `Int64`.
    /// - Important: `divisor` must be positive.
    static func divideRoundingHalfUp(_ value: Int128, by divisor: Int128) -> Int64 {
        precondition(divisor > 0, "a division by a divisor not above 0")
        let magnitude = (value.magnitude + UInt128(divisor) / 2) / UInt128(divisor)
        let rounded = value < 0 ? -Int128(clamping: magnitude) : Int128(clamping: magnitude)
        return Int64(clamping: rounded)
    }

    /// `amount x numerator / 10000`, rounded half-up once.
    static func basisPoints(_ amount: Int64, _ numerator: Int64) -> Int64 {
        divideRoundingHalfUp(Int128(amount) * Int128(numerator), by: 10_000)
    }

    /// `a + b`, clamped to `Int64` instead of trapping.
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, clamped to `Int64` instead of trapping.
    static func subtract(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }

    /// `a x b`, clamped to `Int64` instead of trapping.
    static func multiply(_ a: Int64, _ b: Int64) -> Int64 { Int64(clamping: Int128(a) * Int128(b)) }

    /// `amount` shared by `weights` (none below 0, summing above 0): each share after the first is
    /// `amount x weight / total` rounded half-up on the magnitude, and the first takes the rest, so the shares add up
    /// to `amount` exactly (none can overflow: a later share is never larger than `amount`, nor the first further from
    /// it than half a penny per share).
    static func shares(of amount: Int64, weights: [Int64]) -> [Int64] {
        let total = weights.reduce(Int128(0)) { $0 + Int128($1) }
        precondition(total > 0 && weights.allSatisfy { $0 >= 0 }, "shares of weights that are not a whole")
        let later = weights.dropFirst().map { Int128(divideRoundingHalfUp(Int128(amount) * Int128($0), by: total)) }
        let first = Int128(amount) - later.reduce(0, +)
        precondition(Int64(exactly: first) != nil, "a first share beyond the range of pence")
        return ([first] + later).map { Int64(truncatingIfNeeded: $0) }
    }
}
