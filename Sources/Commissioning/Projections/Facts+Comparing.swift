extension Facts {
    /// Comparisons that together decide whether the facts equal `other`'s (as `==` decides): the large tables split
    /// into parts, the rest in one. Each is independent of the others, so a caller may run them on several cores.
    func comparisons(with other: Facts) -> [@Sendable () -> Bool] {
        Self.parts(contracts, other.contracts, count: 8) + Self.parts(requirements, other.requirements, count: 4)
            + Self.parts(cases, other.cases, count: 2) + [
                {
                    commissioners == other.commissioners && providers == other.providers
                        && consortia == other.consortia && corrections == other.corrections
                        && retractions == other.retractions && keepsHistories == other.keepsHistories
                        && links == other.links
                }
            ]
    }

    /// Comparisons of `count` parts of `mine` with `theirs` that together decide whether the two are equal.
    private static func parts<Record: Equatable & Sendable>(
        _ mine: [String: Record],
        _ theirs: [String: Record],
        count: Int
    ) -> [@Sendable () -> Bool] {
        guard mine.count == theirs.count else { return [{ false }] }
        let step = mine.count / count
        var bounds = [mine.startIndex]
        for _ in 1..<count {
            bounds.append(
                mine.index(bounds[bounds.count - 1], offsetBy: step, limitedBy: mine.endIndex) ?? mine.endIndex
            )
        }
        bounds.append(mine.endIndex)
        return zip(bounds, bounds.dropFirst()).map { lower, upper in
            { mine[lower..<upper].allSatisfy { key, record in theirs[key] == record } }
        }
    }
}
