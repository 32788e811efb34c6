import LedgerJSON

/// How the values of a query answer read for people: pence as pounds, basis points as percentages, nested objects
/// as `outer.inner` keys, lists of objects one element per line.
enum QueryCell {
    /// Keys whose integers are pence in `payments` answers; keys ending in `Pence` are pence in every answer.
    static let paymentAmountKeys: Set<String> = [
        "due", "approved", "paid", "outstanding", "withheld", "withheldTotal", "earned", "fees", "integratorKeeps",
        "core", "outcome", "taskAndTime", "quality", "adjustments", "total", "refunded", "credit",
    ]

    /// Keys shown first, in this order; the others follow alphabetically.
    static let leadingKeys = ["position", "recorded", "contract", "period", "tier", "supplier", "kind", "model"]

    /// Members of a list element named first when it is described, in this order.
    private static let leadingMembers = [
        "component", "outcome", "reason", "attainment", "status", "commissioner", "consortium", "provider", "member",
        "days", "shareBp", "measure",
        "cohort",
    ]

    /// Whether the integers under `key` (the last part of a path) are pence.
    /// - Parameter payments: whether the answer is a `payments` one, whose bare amounts are pence.
    static func isMoney(_ key: String, payments: Bool) -> Bool {
        key.hasSuffix("Pence") || (payments && paymentAmountKeys.contains(key))
    }

    /// `value` as plain text: flags as yes/no, lists of scalars comma-separated, objects as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .bool(let flag): flag ? "yes" : "no"
        case .array(let elements) where elements.allSatisfy(\.isScalar): elements.map(text).joined(separator: ", ")
        default: value.canonicalString
        }
    }

    /// `value`, found under `key` (a dotted path), as text carrying its unit: `£1,900.00`, `25.00%`.
    /// - Parameter payments: whether the answer is a `payments` one, whose bare amounts are pence.
    static func text(_ value: JSONValue, key: String, payments: Bool) -> String {
        let name = key.split(separator: ".").last.map(String.init) ?? key
        guard let number = value.int64Value else { return text(value) }
        if isMoney(name, payments: payments) { return Format.pounds(pence: number) }
        if name.hasSuffix("Bp") { return Format.percent(basisPoints: number) }
        return text(value)
    }

    /// A list element (a payment line, a withholding, a holder's share) as one line: each member as `name value` with
    /// its unit (an object with a `total` as that total), the telling ones first (`outcome A, reason not-achieved, amount £300.51, measurement 019b…`).
    static func describe(_ element: JSONValue, payments: Bool) -> String {
        guard let members = element.objectValue else { return text(element) }
        let names = members.keys.sorted { left, right in
            let (leftRank, rightRank) = (memberRank(left, payments), memberRank(right, payments))
            if leftRank != rightRank { return leftRank < rightRank }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return names.compactMap { name in
            guard var value = members[name], !value.isNull else { return nil }
            // A breakdown (a holder's `due`) reads as its total.
            if let total = value.objectValue?["total"] { value = total }
            let label =
                name.hasSuffix("Pence")
                ? String(name.dropLast(5)) : name.hasSuffix("Bp") ? String(name.dropLast(2)) : name
            return label + " " + text(value, key: name, payments: payments)
        }.joined(separator: ", ")
    }

    private static func memberRank(_ name: String, _ payments: Bool) -> Int {
        if let rank = leadingMembers.firstIndex(of: name) { return rank }
        return isMoney(name, payments: payments) ? leadingMembers.count : leadingMembers.count + 1
    }

    /// `value`'s members with nested objects' members flattened to dotted keys, e.g. `due.total`; members named in
    /// `opaque` are kept whole.
    static func flatten(_ value: JSONValue, prefix: String = "", opaque: Set<String> = []) -> [String: JSONValue] {
        guard let members = value.objectValue else { return [prefix: value] }
        var flat = [String: JSONValue]()
        for (key, member) in members {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if member.objectValue?.isEmpty == false, !opaque.contains(path) {
                flat.merge(flatten(member, prefix: path, opaque: opaque)) { $1 }
            } else {
                flat[path] = member
            }
        }
        return flat
    }

    /// `keys` in display order: `leadingKeys` first, then byte order.
    static func ordered(_ keys: Set<String>) -> [String] {
        keys.sorted { left, right in
            let (leftRank, rightRank) = (rank(left), rank(right))
            if leftRank != rightRank { return leftRank < rightRank }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
    }

    private static func rank(_ key: String) -> Int {
        let top = key.split(separator: ".").first.map(String.init) ?? key
        return leadingKeys.firstIndex(of: top) ?? leadingKeys.count
    }
}

extension JSONValue {
    /// Whether the value is neither an object nor an array.
    var isScalar: Bool { objectValue == nil && arrayValue == nil }
}
