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
        members = try data.objects("members", known: Self.memberFields) { (member) throws(InvalidEvent) in
            Member(provider: try member.identifier("provider"), shareBp: try member.basisPoints("shareBp"))
        }
        managementFeeBp = try data.basisPoints("managementFeeBp")
        guard !members.isEmpty else { throw InvalidEvent(field: data.field("members"), message: "must not be empty") }
        var seen = Set<String>()
        for (index, member) in members.enumerated() where !seen.insert(member.provider).inserted {
            throw InvalidEvent(field: "\(data.field("members"))[\(index)].provider", message: "is repeated")
        }
        guard members.reduce(0, { $0 + $1.shareBp }) == 10_000 else {
            throw InvalidEvent(field: data.field("members"), message: "shareBp must sum to 10000")
        }
    }

    static let fields: JSONKeys = ["name", "integrator", "members", "managementFeeBp"]
    static let memberFields: JSONKeys = ["provider", "shareBp"]

    var json: JSONValue {
        [
            "name": .string(name), "integrator": .string(integrator), "managementFeeBp": .int(managementFeeBp),
            "members": .array(members.map { ["provider": .string($0.provider), "shareBp": .int($0.shareBp)] }),
        ]
    }
}
