import Testing

@testable import Commissioning

@Suite("Compacting the facts")
struct CompactionTests {
    @Test("compacting keeps the facts, leaves no spare list storage, and folding on after it gives the same state")
    func compaction() throws {
        let fixture = ScenarioFixture(seed: 13, size: StateCodingTests.size)
        let cut = fixture.events.count * 2 / 3
        var whole = Projections()
        var compacted = Projections()
        for (index, event) in fixture.events.enumerated() {
            whole.apply(event)
            compacted.apply(event)
            if index + 1 == cut {
                let before = compacted.encoded()
                compacted.compact()
                #expect(compacted == whole)
                #expect(compacted.encoded() == before)
                let lists = compacted.facts.contracts.values.flatMap { contract in
                    [
                        (contract.deliveries.count, contract.deliveries.capacity),
                        (contract.measurements.count, contract.measurements.capacity),
                        (contract.decisions.count, contract.decisions.capacity),
                        (contract.payments.count, contract.payments.capacity),
                    ]
                }
                #expect(lists.contains { $0.0 > 2 })
                #expect(lists.allSatisfy { count, capacity in capacity == count })
            }
        }
        #expect(compacted == whole)
        #expect(compacted.encoded() == whole.encoded())
    }

    @Test(
        "a decision by the same role as the one before shares its text, an offer its outcomes; states compare as before"
    )
    func sharedTexts() throws {
        let fixture = ScenarioFixture(seed: 13, size: StateCodingTests.size)
        let projections = fixture.projections()
        func storage(_ text: String?) -> UnsafePointer<UInt8>? {
            text?.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil
        }
        var pairs = 0
        for contract in projections.facts.contracts.values {
            for (earlier, later) in zip(contract.decisions, contract.decisions.dropFirst())
            where earlier.value.by == later.value.by && (earlier.value.by?.utf8.count ?? 0) > 15 {
                #expect(storage(earlier.value.by) == storage(later.value.by))
                pairs += 1
            }
        }
        #expect(pairs > 10)
        var offers = 0
        for requirement in projections.facts.requirements.values {
            for (earlier, later) in zip(requirement.offers, requirement.offers.dropFirst())
            where earlier.value.outcomes == later.value.outcomes {
                #expect(
                    earlier.value.outcomes.withUnsafeBufferPointer { $0.baseAddress }
                        == later.value.outcomes.withUnsafeBufferPointer { $0.baseAddress }
                )
                offers += 1
            }
        }
        #expect(offers > 10)
        #expect(try Projections(decoding: projections.encoded()) == projections)
    }
}
