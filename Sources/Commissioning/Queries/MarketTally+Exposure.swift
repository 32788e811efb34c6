import LedgerJSON

extension MarketTally {
    /// The commissioner's exposure to each provider doing its work (what it would have to replace if the provider
    /// failed): its spend and share of spend, and its person-months (settled periods of the contracts it delivers,
    /// each serving one person) and share of them, for the `listed` largest by spend; how many providers there are;
    /// and the largest shares of each.
    var exposureAnswer: JSONValue {
        let months = monthsByDoer.values.reduce(0) { PenceMath.add($0, $1) }
        let providers = monthsByDoer.keys.sorted { left, right in
            let (a, b) = (spendByDoer[left] ?? 0, spendByDoer[right] ?? 0)
            return a != b ? a > b : left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        let rows: [JSONValue] = providers.map { provider -> JSONValue in
            let spend = spendByDoer[provider] ?? 0
            let served = monthsByDoer[provider] ?? 0
            return [
                "provider": .string(provider), "spendPence": .int(spend),
                "spendShareBp": Projections.rate(spend, of: self.spend),
                "personMonths": .int(served), "personMonthsShareBp": Projections.rate(served, of: months),
            ]
        }
        let largest = { (key: String) -> JSONValue in
            rows.compactMap { $0[key]?.int64Value }.max().map { .int($0) } ?? .null
        }
        return [
            "byProvider": .array(Array(rows.prefix(Self.listed))), "providers": .int(Int64(providers.count)),
            "largestSpendShareBp": largest("spendShareBp"),
            "largestPersonMonthsShareBp": largest("personMonthsShareBp"),
        ]
    }
}
