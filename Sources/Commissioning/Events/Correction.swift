import LedgerJSON

/// `correction`: retracts an earlier event of the same stream; every projection then behaves as if it never happened.
struct Correction: Sendable, Equatable {
    var retracts: String
    var reason: String

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        retracts = try data.eventID("retracts")
        reason = try data.text("reason")
    }

    static let fields: JSONKeys = ["retracts", "reason"]

    var json: JSONValue { ["retracts": .string(retracts), "reason": .string(reason)] }
}
