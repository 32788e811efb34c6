import NIOCore

/// When the commits that the projections have not folded yet were made, oldest first: the projections' lag in seconds
/// is the time since the oldest of them, which is when they last held every committed event.
///
/// At most `capacity` commits are kept; past that a new commit is merged into the newest kept one, keeping that one's
/// earlier time, so a long stall is never understated.
struct UnfoldedCommits {
    /// The most commits kept.
    static let capacity = 1024

    private var commits = CircularBuffer<(last: UInt64, at: ContinuousClock.Instant)>()

    /// Records a commit that ended at position `last`, made at `time`.
    mutating func committed(through last: UInt64, at time: ContinuousClock.Instant) {
        if commits.count >= Self.capacity, let newest = commits.indices.last {
            commits[newest].last = last
        } else {
            commits.append((last, time))
        }
    }

    /// Forgets the commits the projections hold now that they reflect `position`.
    mutating func folded(through position: UInt64) {
        while let oldest = commits.first, oldest.last <= position { commits.removeFirst() }
    }

    /// Seconds from the oldest commit not folded to `now`; 0 when every commit is folded.
    func lagSeconds(at now: ContinuousClock.Instant) -> Double {
        commits.first.map { (now - $0.at) / .seconds(1) } ?? 0
    }
}
