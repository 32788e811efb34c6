import Testing

@testable import LedgerServer

@Suite("Projection lag in seconds: the time since the oldest commit the projections have not folded")
struct UnfoldedCommitsTests {
    @Test("0 when every commit is folded; else from the oldest unfolded commit, which folding moves on")
    func lag() {
        let start = ContinuousClock.now
        var commits = UnfoldedCommits()
        #expect(commits.lagSeconds(at: start + .seconds(5)) == 0)
        commits.committed(through: 3, at: start)
        commits.committed(through: 5, at: start + .seconds(2))
        #expect(commits.lagSeconds(at: start + .seconds(10)) == 10)
        // Folded into the first commit only: it still lags.
        commits.folded(through: 2)
        #expect(commits.lagSeconds(at: start + .seconds(10)) == 10)
        commits.folded(through: 3)
        #expect(commits.lagSeconds(at: start + .seconds(10)) == 8)
        commits.folded(through: 9)
        #expect(commits.lagSeconds(at: start + .seconds(10)) == 0)
    }

    @Test("past its capacity, new commits merge into the newest kept one, keeping its earlier time")
    func capacity() {
        let start = ContinuousClock.now
        var commits = UnfoldedCommits()
        for position in 1...UInt64(UnfoldedCommits.capacity + 10) {
            commits.committed(through: position, at: start + .seconds(Int64(position)))
        }
        commits.folded(through: UInt64(UnfoldedCommits.capacity - 1))
        // The kept newest commit (position capacity, later capacity + 10) has the time of position capacity.
        let now = start + .seconds(Int64(UnfoldedCommits.capacity + 20))
        #expect(commits.lagSeconds(at: now) == 20)
        commits.folded(through: UInt64(UnfoldedCommits.capacity + 10))
        #expect(commits.lagSeconds(at: now) == 0)
    }
}
