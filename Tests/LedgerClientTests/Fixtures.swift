import LedgerJSON
import LedgerTestSupport

/// An event object `{"id","type","data"}` with the id for `index`.
func event(_ index: Int, type: String = "x-t", data: JSONValue = [:]) -> JSONValue {
    ["id": .string(uuid(index)), "type": .string(type), "data": data]
}
