import LedgerJSON

/// Who holds an offer or a contract: a single provider or a consortium (through its integrator).
enum Supplier: Sendable, Hashable {
    case provider(String)
    case consortium(String)

    /// Reads exactly one of `provider` and `consortium`.
    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        switch (try data.optionalIdentifier("provider"), try data.optionalIdentifier("consortium")) {
        case (let provider?, nil): self = .provider(provider)
        case (nil, let consortium?): self = .consortium(consortium)
        case (nil, nil): throw InvalidEvent(field: data.field("provider"), message: "is required (or consortium)")
        case (_?, _?):
            throw InvalidEvent(field: data.field("consortium"), message: "give either provider or consortium, not both")
        }
    }

    /// Reads at most one of `provider` and `consortium`; nil when neither is given.
    static func optional(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) -> Supplier? {
        guard data.has("provider") || data.has("consortium") else { return nil }
        return try Supplier(data)
    }

    /// The provider, when a single provider supplies.
    var provider: String? {
        guard case .provider(let id) = self else { return nil }
        return id
    }

    /// The supplier's entity stream.
    var stream: String {
        switch self {
        case .provider(let id): EntityKind.provider.stream(id)
        case .consortium(let id): EntityKind.consortium.stream(id)
        }
    }

    /// Adds `provider` or `consortium` to `object`.
    func write(to object: inout [String: JSONValue]) {
        switch self {
        case .provider(let id): object["provider"] = .string(id)
        case .consortium(let id): object["consortium"] = .string(id)
        }
    }
}
