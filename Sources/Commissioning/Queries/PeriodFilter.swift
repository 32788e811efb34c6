/// An optional query period: one month (`YYYY-MM`), one year (`YYYY`) or everything.
struct PeriodFilter {
    private let range: ClosedRange<Int32>?

    /// Parses the optional period argument.
    init(_ argument: String?) throws(QueryError) {
        guard let argument else {
            range = nil
            return
        }
        if let period = Period(argument) {
            range = period.index...period.index
        } else if argument.utf8.count == 4, let year = Digits.value(ArraySlice(argument.utf8)), year >= 1970 {
            range = Int32(year * 12)...Int32(year * 12 + 11)
        } else {
            throw .badRequest("the period must be YYYY-MM or YYYY")
        }
    }

    /// The months the filter keeps, as a scope.
    var scope: PeriodScope {
        guard let range else { return .all }
        return range.count == 1 ? .month(range.lowerBound) : .year(range.lowerBound / 12)
    }

    /// Whether `period` is inside the filter.
    func contains(_ period: Period) -> Bool { range?.contains(period.index) ?? true }

    /// Whether the month of `stamp`'s recorded time is inside the filter.
    func contains(_ stamp: Stamp) -> Bool {
        guard range != nil else { return true }
        return stamp.recordedPeriod.map(contains) ?? false
    }
}

/// Which months an answer covers: all of them, one year's or one month's.
public enum PeriodScope: Sendable, Hashable {
    case all
    /// A year, by number.
    case year(Int32)
    /// A month, by `Period.index`.
    case month(Int32)
}
