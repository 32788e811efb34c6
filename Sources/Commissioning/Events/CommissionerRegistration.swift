import LedgerJSON

/// `commissioner-registered`: a council or NHS body.
struct CommissionerRegistration: Sendable, Equatable {
    var name: String
    var kind: CommissionerKind

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        name = try data.text("name")
        kind = try data.choice("kind")
    }

    static let fields: JSONKeys = ["name", "kind"]

    var json: JSONValue { ["name": .string(name), "kind": .string(kind.rawValue)] }
}
