import LedgerJSON

/// A fixed, valid v7-shaped UUID for event `index`.
func uuid(_ index: Int) -> String {
    let hex = String(index, radix: 16)
    return "0190f3a0-7c1e-7d2a-9b3c-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
}

/// An event object `{"id","type","data"}` with the id for `index`.
func event(_ index: Int, type: String = "x-t", data: JSONValue = [:]) -> JSONValue {
    ["id": .string(uuid(index)), "type": .string(type), "data": data]
}
