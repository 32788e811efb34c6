import Dispatch
import Synchronization

extension Facts {
    /// Whether the facts equal `other`'s (as `==` decides), compared on every core: the large tables are split into
    /// parts that are compared concurrently. A rebuild compares the facts of the whole log this way.
    func equalsConcurrently(_ other: Facts) -> Bool {
        let parts =
            Self.parts(contracts, other.contracts, count: 8) + Self.parts(requirements, other.requirements, count: 4)
            + Self.parts(cases, other.cases, count: 2) + [
                {
                    commissioners == other.commissioners && providers == other.providers
                        && consortia == other.consortia && corrections == other.corrections
                        && retractions == other.retractions
                }
            ]
        let equal = Mutex(true)
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            guard equal.withLock({ $0 }) else { return }
            if !parts[index]() { equal.withLock { $0 = false } }
        }
        return equal.withLock { $0 }
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
