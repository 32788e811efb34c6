/// Who holds a contract on each day: the agreement's supplier, then each transfer's provider from its day on (in
/// order of `on`, ties in log order). A transfer to the provider already holding the contract changes nothing.
struct HolderTimeline {
    /// The contract's holder from its start.
    let original: Supplier
    /// The changes of holder, in order: from `on`, `holder` holds it.
    let changes: [(on: Day, holder: Supplier)]

    init(agreement: ContractAgreement, transfers: [Stamped<ContractTransfer>]) {
        original = agreement.supplier
        let ordered = transfers.sorted { ($0.value.on, $0.stamp.position) < ($1.value.on, $1.stamp.position) }
        var changes = [(on: Day, holder: Supplier)]()
        for transfer in ordered {
            let holder = Supplier.provider(transfer.value.provider)
            guard holder != changes.last?.holder ?? original else { continue }
            changes.append((transfer.value.on, holder))
        }
        self.changes = changes
    }

    /// The holder on `day`.
    func holder(on day: Day) -> Supplier {
        changes.last { $0.on <= day }?.holder ?? original
    }

    /// Whether the contract has changed holder on or before `period`'s last day.
    func hasChanged(by period: Period) -> Bool {
        guard let first = changes.first else { return false }
        return first.on <= period.lastDay
    }

    /// The holders of `period` and the days each held it, in order of their first day in it (days summed for a
    /// holder that held it twice).
    func holders(in period: Period) -> [(holder: Supplier, days: Int)] {
        let first = period.firstDay
        let last = period.lastDay
        var holders = [(holder: holder(on: first), days: 0)]
        var current = 0
        var from = first
        for change in changes where change.on > first && change.on <= last {
            holders[current].days += change.on.ordinal - from.ordinal
            from = change.on
            if let index = holders.firstIndex(where: { $0.holder == change.holder }) {
                current = index
            } else {
                holders.append((change.holder, 0))
                current = holders.count - 1
            }
        }
        holders[current].days += last.ordinal + 1 - from.ordinal
        precondition(
            holders.reduce(0) { $0 + $1.days } == last.ordinal - first.ordinal + 1,
            "a month's holders not holding every day of it"
        )
        return holders
    }
}
