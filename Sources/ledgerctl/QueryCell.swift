import LedgerJSON

/// How the values of a query answer read in tables: pence as pounds, basis points as percentages, nested objects
/// as `outer.inner` columns.
enum QueryCell {
    /// Keys whose integers are pence in `payments` answers; keys ending in `Pence` are pence in every answer.
    static let paymentAmountKeys: Set<String> = [
        "due", "approved", "paid", "outstanding", "withheld", "withheldTotal", "earned", "fees", "integratorKeeps",
        "core", "outcome", "taskAndTime", "adjustments", "total",
    ]

    /// Keys shown first, in this order; the others follow alphabetically.
    static let leadingKeys = ["position", "recorded", "contract", "period", "tier", "supplier", "kind", "model"]

    /// `value` (found under `key`, a dotted path) as text for a table.
    /// - Parameter payments: whether the answer is a `payments` one, whose bare amounts are pence.
    static func text(_ value: JSONValue, key: String, payments: Bool) -> String {
        let name = key.split(separator: ".").last.map(String.init) ?? key
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "yes" : "no"
        case .number:
            guard let number = value.int64Value else { return value.canonicalString }
            if name.hasSuffix("Pence") || (payments && paymentAmountKeys.contains(name)) {
                return Format.pounds(pence: number)
            }
            if name.hasSuffix("Bp") { return Format.percent(basisPoints: number) }
            return value.canonicalString
        case .array(let elements):
            if elements.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) {
                return elements.map { text($0, key: key, payments: payments) }.joined(separator: ", ")
            }
            return elements.count == 1 ? "1 item" : "\(elements.count) items"
        case .object: return value.canonicalString
        }
    }

    /// `value`'s members with nested objects' members flattened to dotted keys, e.g. `due.total`.
    static func flatten(_ value: JSONValue, prefix: String = "") -> [String: JSONValue] {
        guard let members = value.objectValue else { return [prefix: value] }
        var flat = [String: JSONValue]()
        for (key, member) in members {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if member.objectValue?.isEmpty == false {
                flat.merge(flatten(member, prefix: path)) { $1 }
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
