import LedgerJSON

/// How invitations to a group of providers were answered and won.
struct AccessFigures {
    var invited: Int64 = 0
    var responded: Int64 = 0
    var selected: Int64 = 0

    /// Adds `count` to the figure `metric` names (`invited`, `responded` or `selected`).
    mutating func add(_ count: Int64, _ metric: String) {
        switch metric {
        case "invited": invited = PenceMath.add(invited, count)
        case "responded": responded = PenceMath.add(responded, count)
        default: selected = PenceMath.add(selected, count)
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
