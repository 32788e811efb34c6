import LedgerJSON

/// `service-delivered`: units of service (hours, nights, sessions) delivered in a period.
struct Delivery: Sendable, Equatable {
    /// The most units one event may record.
    static let maxUnits: Int64 = 1_000_000_000

    var period: Period
    var units: Int64

    init(_ data: FieldReader<some JSONReadable>) throws(InvalidEvent) {
        period = try data.period("period")
        units = try data.integer("units", in: 0...Self.maxUnits)
    }

    static let fields: JSONKeys = ["period", "units"]

    var json: JSONValue { ["period": .string(period.text), "units": .int(units)] }
}
