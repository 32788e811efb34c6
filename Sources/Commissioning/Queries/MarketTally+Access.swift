import LedgerJSON

extension MarketTally {
    /// Invitations by the invited providers' scale (and for voluntary organisations of any scale): how many, how many
    /// were responded to and how many won, with the rates of response and of selection per invitation; and the
    /// providers invited but never selected: how many, and the `listed` most invited of them.
    var accessAnswer: JSONValue {
        var bySize = [String: AccessFigures]()
        var byProvider = [String: (scale: String, voluntary: Bool, figures: AccessFigures)]()
        for (key, count) in access {
            // Split by bytes: the parts are identifiers and names, and this runs for every key of a large tally.
            let parts = key.utf8.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let metric = AccessFigures.Metric(parts[3]) else { continue }
            let provider = String(decoding: parts[0], as: UTF8.self)
            let scale = String(decoding: parts[1], as: UTF8.self)
            let voluntary = parts[2].first == UInt8(ascii: "v")
            for group in [scale] + (voluntary ? ["voluntary"] : []) {
                bySize[group, default: AccessFigures()].add(count, metric)
            }
            var entry = byProvider[provider] ?? (scale, voluntary, AccessFigures())
            (entry.scale, entry.voluntary) = (Self.larger(entry.scale, scale), entry.voluntary || voluntary)
            entry.figures.add(count, metric)
            byProvider[provider] = entry
        }
        let never = byProvider.filter { $0.value.figures.selected == 0 }
        let listed = never.sorted { left, right in
            left.value.figures.invited != right.value.figures.invited
                ? left.value.figures.invited > right.value.figures.invited
                : left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }
        .prefix(Self.listed)
        .map { provider, entry -> JSONValue in
            [
                "provider": .string(provider), "scale": .string(entry.scale), "voluntary": .bool(entry.voluntary),
                "invited": .int(entry.figures.invited), "responded": .int(entry.figures.responded),
            ]
        }
        return [
            "bySize": .object(bySize.mapValues(\.json)), "neverSelected": .array(Array(listed)),
            "neverSelectedCount": .int(Int64(never.count)),
        ]
    }

    /// The larger of two scales' names (a provider invited before and after it grew is listed at its larger scale).
    private static func larger(_ first: String, _ second: String) -> String {
        let rank = { (name: String) in Scale.allCases.firstIndex { $0.rawValue == name } ?? -1 }
        return rank(second) > rank(first) ? second : first
    }

    /// The providers whose invitations `access` counts.
    public var invitedProviders: Set<String> {
        Set(
            access.keys.compactMap { key in
                key.utf8.split(separator: 0, maxSplits: 1).first.map { String(decoding: $0, as: UTF8.self) }
            }
        )
    }
}
