import LedgerJSON

/// `consortium-registered`: an integrator and its member providers with their shares of the work.
struct ConsortiumRegistration: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var provider: String
        var shareBp: Int64
    }

    var name: String
    var integrator: String
    var members: [Member]
    var managementFeeBp: Int64

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        name = try data.text("name")
        integrator = try data.identifier("integrator")
        members = try data.shares("members", id: "provider").map { Member(provider: $0.id, shareBp: $0.shareBp) }
        managementFeeBp = try data.basisPoints("managementFeeBp")
    }

    static let fields: JSONKeys = ["name", "integrator", "members", "managementFeeBp"]

    var json: JSONValue {
        [
            "name": .string(name), "integrator": .string(integrator), "managementFeeBp": .int(managementFeeBp),
            "members": .array(members.map { ["provider": .string($0.provider), "shareBp": .int($0.shareBp)] }),
        ]
    }
}
