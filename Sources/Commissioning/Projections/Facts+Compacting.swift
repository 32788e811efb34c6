extension Facts {
    /// Moves every list of facts into storage of its own size. Lists grow by doubling as facts are appended, so
    /// after a long replay a third of their storage is spare; the facts themselves do not change.
    mutating func compact() {
        Self.compactValues(of: &providers) { $0.compact() }
        Self.compactValues(of: &cases) { $0.compact() }
        Self.compactValues(of: &requirements) { $0.compact() }
        Self.compactValues(of: &contracts) { $0.compact() }
        corrections.fitCapacity()
    }

    /// Calls `compact` on each value of `records` in place.
    private static func compactValues<Record>(of records: inout [String: Record], _ compact: (inout Record) -> Void) {
        // Walking by index keeps the dictionary's storage unshared (its `indices` would hold on to it), so each value
        // changes in place.
        var index = records.startIndex
        while index != records.endIndex {
            compact(&records.values[index])
            records.formIndex(after: &index)
        }
    }
}

extension ProviderRecord {
    mutating func compact() {
        ratings.fitCapacity()
        scales.fitCapacity()
    }
}

extension CaseRecord {
    mutating func compact() {
        requirements.fitCapacity()
    }
}

extension RequirementRecord {
    mutating func compact() {
        offers.fitCapacity()
        evaluations.fitCapacity()
        selections.fitCapacity()
        contracts.fitCapacity()
    }
}

extension ContractRecord {
    mutating func compact() {
        variations.fitCapacity()
        endings.fitCapacity()
        transfers.fitCapacity()
        deliveries.fitCapacity()
        measurements.fitCapacity()
        decisions.fitCapacity()
        approvals.fitCapacity()
        payments.fitCapacity()
        creditSettlements.fitCapacity()
        qualityAssessments.fitCapacity()
        populationMeasurements.fitCapacity()
    }
}

extension Array {
    /// Moves the elements into storage of their own size, when there is room to spare.
    mutating func fitCapacity() {
        guard capacity > count else { return }
        self = Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: self)
        }
    }
}
