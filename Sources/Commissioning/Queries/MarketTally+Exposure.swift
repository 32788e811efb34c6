import LedgerJSON

extension MarketTally {
    /// The commissioner's exposure to each provider doing its work (what it would have to replace if the provider
    /// failed): its spend and share of spend, and its person-months (settled periods of the contracts it delivers,
    /// each serving one person) and share of them, for the `listed` largest by spend; how many providers there are;
    /// and the largest shares of each.
    var exposureAnswer: JSONValue {
        let months = monthsByDoer.values.reduce(0) { PenceMath.add($0, $1) }
        var providers = monthsByDoer.map { (provider: $0.key, spend: spendByDoer[$0.key] ?? 0, months: $0.value) }
        providers.sort { left, right in
            left.spend != right.spend
                ? left.spend > right.spend : left.provider.utf8.lexicographicallyPrecedes(right.provider.utf8)
        }
        let rows: [JSONValue] = providers.prefix(Self.listed).map { entry -> JSONValue in
            [
                "provider": .string(entry.provider), "spendPence": .int(entry.spend),
                "spendShareBp": Projections.rate(entry.spend, of: spend),
                "personMonths": .int(entry.months), "personMonthsShareBp": Projections.rate(entry.months, of: months),
            ]
        }
        // A share grows with its part (the whole being the same), so the largest share is the largest part's.
        return [
            "byProvider": .array(rows), "providers": .int(Int64(providers.count)),
            "largestSpendShareBp": providers.first.map { Projections.rate($0.spend, of: spend) } ?? .null,
            "largestPersonMonthsShareBp": providers.map(\.months).max().map { Projections.rate($0, of: months) }
                ?? .null,
        ]
    }
}
