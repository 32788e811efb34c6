import Testing

@testable import EventLog

@Suite("Comeback: how long answered callers take to return")
struct ComebackTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test("the time runs from the answer until as many requests as were answered have arrived")
    func timed() {
        var comeback = Comeback()
        #expect(comeback.answering(3, at: at(0)) == nil)
        comeback.arrived(at: at(1))
        comeback.arrived(at: at(2))
        comeback.arrived(at: at(4))
        comeback.arrived(at: at(9))
        #expect(comeback.answering(2, at: at(10)) == .milliseconds(4))
        comeback.arrived(at: at(10))
        comeback.arrived(at: at(11))
        #expect(comeback.answering(1, at: at(20)) == .milliseconds(1))
    }

    @Test("callers that have not all come back count as gone for as long as has passed")
    func missing() {
        var comeback = Comeback()
        _ = comeback.answering(3, at: at(0))
        comeback.arrived(at: at(1))
        #expect(comeback.answering(1, at: at(7)) == .milliseconds(7))
        #expect(comeback.answering(1, at: at(8)) == .milliseconds(1))
    }
}
