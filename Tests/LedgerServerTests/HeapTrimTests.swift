import Testing

@testable import LedgerServer

@Suite("Heap trim schedule")
struct HeapTrimTests {
    @Test("a trim is due only after work that freed much has settled, and at most once per interval")
    func schedule() {
        var trim = HeapTrim.Schedule(interval: .seconds(3600))
        var trimmed = [trim.trimIfDue()]
        trim.freed()
        trimmed += [trim.trimIfDue(), trim.trimIfDue()]
        trim.freed()
        trimmed.append(trim.trimIfDue())
        #expect(trimmed == [false, true, false, false])

        var settling = HeapTrim.Schedule(interval: .zero)
        settling.freed(settling: .seconds(3600))
        settling.freed()
        let early = settling.trimIfDue()
        #expect(!early)
    }
}
