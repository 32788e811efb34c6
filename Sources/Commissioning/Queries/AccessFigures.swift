import LedgerJSON

/// How invitations to a group of providers were answered and won.
struct AccessFigures {
    var invited: Int64 = 0
    var responded: Int64 = 0
    var selected: Int64 = 0

    /// Which figure an `access` key counts.
    enum Metric: String, CaseIterable {
        case invited, responded, selected

        /// The metric whose name is `bytes`.
        init?(_ bytes: some Sequence<UInt8>) {
            guard let metric = Self.allCases.first(where: { $0.rawValue.utf8.elementsEqual(bytes) }) else { return nil }
            self = metric
        }
    }

    /// Adds `count` to the figure `metric` names.
    mutating func add(_ count: Int64, _ metric: Metric) {
        switch metric {
        case .invited: invited = PenceMath.add(invited, count)
        case .responded: responded = PenceMath.add(responded, count)
        case .selected: selected = PenceMath.add(selected, count)
        }
    }

    var json: JSONValue {
        [
            "invited": .int(invited), "responded": .int(responded), "selected": .int(selected),
            "responseRateBp": Projections.rate(responded, of: invited),
            "selectionRateBp": Projections.rate(selected, of: invited),
        ]
    }
}
