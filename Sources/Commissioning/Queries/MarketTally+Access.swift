import LedgerJSON

extension MarketTally {
    /// Invitations by the invited providers' scale (and for voluntary organisations of any scale): how many, how many
    /// were responded to and how many won, with the rates of response and of selection per invitation; and the
    /// providers invited but never selected.
    var accessAnswer: JSONValue {
        var bySize = [String: AccessFigures]()
        var byProvider = [String: (scale: String, voluntary: Bool, figures: AccessFigures)]()
        for (key, count) in access {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            let (provider, scale, voluntary, metric) = (parts[0], parts[1], parts[2] == "v", parts[3])
            for group in [scale] + (voluntary ? ["voluntary"] : []) {
                bySize[group, default: AccessFigures()].add(count, metric)
            }
            var entry = byProvider[provider] ?? (scale, voluntary, AccessFigures())
            (entry.scale, entry.voluntary) = (Self.larger(entry.scale, scale), entry.voluntary || voluntary)
            entry.figures.add(count, metric)
            byProvider[provider] = entry
        }
        let never = byProvider.filter { $0.value.figures.selected == 0 }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { provider, entry -> JSONValue in
                [
                    "provider": .string(provider), "scale": .string(entry.scale), "voluntary": .bool(entry.voluntary),
                    "invited": .int(entry.figures.invited), "responded": .int(entry.figures.responded),
                ]
            }
        return ["bySize": .object(bySize.mapValues(\.json)), "neverSelected": .array(never)]
    }

    /// The larger of two scales' names (a provider invited before and after it grew is listed at its larger scale).
    private static func larger(_ first: String, _ second: String) -> String {
        let rank = { (name: String) in Scale.allCases.firstIndex { $0.rawValue == name } ?? -1 }
        return rank(second) > rank(first) ? second : first
    }

    /// The providers whose invitations `access` counts.
    public var invitedProviders: Set<String> {
        Set(access.keys.compactMap { $0.split(separator: "\u{0}", maxSplits: 1).first.map(String.init) })
    }
}
