import Testing

@testable import EventLog

@Suite("Gathering: whether the next transaction waits for the callers just answered")
struct GatheringTests {
    typealias Gathering = GroupCommitWriter.Gathering

    @Test("callers back well within a transaction's fixed cost are waited for, half a transaction at most")
    func waits() {
        // Two socket clients on a fast disk: back in 45 us; a single-event transaction takes 130 us.
        let few = Gathering(
            expected: 2,
            elapsed: .microseconds(150),
            comeback: .microseconds(45),
            fixedCost: .microseconds(130)
        )
        #expect(few.expected == 2)
        #expect(few.patience == .microseconds(75))
        // A slow disk bounds the wait by `maxPatience`.
        let slow = Gathering(
            expected: 16,
            elapsed: .milliseconds(9),
            comeback: .microseconds(200),
            fixedCost: .milliseconds(3)
        )
        #expect(slow.patience == GroupCommitWriter.maxPatience)
    }

    @Test("callers slower than the fixed cost are not waited for, even within half a transaction")
    func alternates() {
        // 64 socket clients on a fast disk: a transaction of 60 events takes 1.3 ms and its callers are back in
        // 0.55 ms, within half of it, but a transaction of their own would cost only 0.3 ms more.
        let many = Gathering(
            expected: 64,
            elapsed: .microseconds(1300),
            comeback: .microseconds(550),
            fixedCost: .microseconds(300)
        )
        #expect(many.patience == .zero)
        // Slower than half a transaction: not waited for whatever the fixed cost.
        let slow = Gathering(expected: 8, elapsed: .microseconds(400), comeback: .microseconds(250), fixedCost: nil)
        #expect(slow.patience == .zero)
    }

    @Test("until a single-event transaction was timed, half the last transaction is the only bound")
    func unknownFixedCost() {
        let gathering = Gathering(
            expected: 4,
            elapsed: .microseconds(800),
            comeback: .microseconds(350),
            fixedCost: nil
        )
        #expect(gathering.patience == .microseconds(400))
        #expect(Gathering().patience == .zero)
    }
}

@Suite("FixedCost: what a transaction costs whatever it holds")
struct FixedCostTests {
    @Test("the first single-event transaction sets it; later ones move it a quarter of the way")
    func average() {
        var cost = FixedCost()
        #expect(cost.estimate == nil)
        cost.record(.microseconds(400))
        #expect(cost.estimate == .microseconds(400))
        cost.record(.microseconds(200))
        #expect(cost.estimate == .microseconds(350))
        cost.record(.microseconds(550))
        #expect(cost.estimate == .microseconds(400))
    }

    @Test("one slow transaction raises it by a quarter at most")
    func damped() {
        var cost = FixedCost()
        cost.record(.microseconds(100))
        cost.record(.milliseconds(50))
        #expect(cost.estimate == .microseconds(125))
    }
}
