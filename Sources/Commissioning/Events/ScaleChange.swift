import LedgerJSON

/// `provider-scale-changed`: the provider grew or shrank (market figures use the scale at the time of award).
struct ScaleChange: Sendable, Equatable {
    var scale: Scale
    var voluntary: Bool?
    var effective: Day

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        scale = try data.choice("scale")
        voluntary = try data.optionalBool("voluntary")
        effective = try data.day("effective")
    }

    static let fields: JSONKeys = ["scale", "voluntary", "effective"]

    var json: JSONValue {
        var object: [String: JSONValue] = ["scale": .string(scale.rawValue), "effective": .string(effective.text)]
        object.set("voluntary", voluntary.map { .bool($0) })
        return .object(object)
    }
}
