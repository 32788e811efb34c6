import Commissioning
import LedgerJSON
import Testing

/// Builds a small ledger in memory: each event is validated against the catalogue, then applied to projections.
struct LedgerFixture {
    var events: [DomainEvent] = []
    var projections = Projections()
    /// The recorded date of the next event.
    var today = "2026-10-01"

    /// Validates and applies one event; returns its id.
    @discardableResult
    mutating func append(
        _ stream: String,
        _ type: String,
        _ data: JSONValue,
        actor: String = "officer:test"
    ) throws -> String {
        let meta: JSONValue = ["actor": .string(actor)]
        let requirements = try Catalogue.validate(stream: stream, type: type, data: data, meta: meta)
        let existing = Set(events.map(\.stream))
        if requirements.createsEntity { #expect(!existing.contains(stream), "\(stream) already exists") }
        for reference in requirements.referencedStreams {
            #expect(existing.contains(reference), "\(type) on \(stream) references missing \(reference)")
        }
        let position = UInt64(events.count + 1)
        let hex = String(position, radix: 16)
        let id = "00000000-0000-7000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
        let event = DomainEvent(
            position: position,
            stream: stream,
            version: UInt64(events.filter { $0.stream == stream }.count + 1),
            id: id,
            type: type,
            recorded: today + "T09:00:00.000000Z",
            data: data,
            meta: meta
        )
        events.append(event)
        projections.apply(event)
        return event.id
    }

    /// Registers commissioner LA1, providers P1 (small), P2 (large), P3 (micro), case C1 and requirement R1.
    static func standard() throws -> LedgerFixture {
        var ledger = LedgerFixture()
        try ledger.append(
            "commissioner-LA1",
            "commissioner-registered",
            ["name": "Anytown Council", "kind": "local-authority"]
        )
        for (id, scale) in [("P1", "small"), ("P2", "large"), ("P3", "micro")] {
            try ledger.append(
                "provider-\(id)",
                "provider-registered",
                [
                    "name": .string("Provider \(id)"), "scale": .string(scale), "voluntary": false, "regulator": "cqc",
                    "rating": "good",
                ]
            )
        }
        try ledger.append(
            "case-C1",
            "need-assessed",
            [
                "personRef": "pr-7f3a", "commissioner": "LA1",
                "outcomes": [
                    ["id": "A", "measure": "independent living"], ["id": "B", "measure": "community access"],
                ],
                "preferences": ["near family"],
            ]
        )
        try ledger.append(
            "requirement-R1",
            "requirement-published",
            [
                "case": "C1", "commissioner": "LA1",
                "outcomes": [
                    ["id": "A", "measure": "independent living"], ["id": "B", "measure": "community access"],
                ],
                "preferences": ["near family"], "route": "mini-competition", "invited": ["P1", "P2", "P3"],
            ]
        )
        return ledger
    }

    /// Agrees contract `id` on requirement R1 with `supplier` (`["provider": "P1"]` or a consortium and deliveredBy).
    mutating func contract(_ id: String, payment: JSONValue, supplier: JSONValue = ["provider": "P1"]) throws {
        var data: [String: JSONValue] = [
            "requirement": "R1", "commissioner": "LA1", "start": "2026-10-01", "payment": payment,
        ]
        for (key, value) in supplier.objectValue ?? [:] { data[key] = value }
        try append("contract-\(id)", "contract-agreed", .object(data))
    }

    /// The first row of `payments contract <id> <period>`.
    func period(_ contract: String, _ period: String) throws -> JSONValue {
        let result = try projections.query(["payments", "contract", contract, period])
        return try #require(result.rows.first)
    }
}

extension JSONValue {
    /// The integer at a dotted path, e.g. `due.total`.
    func int(_ path: String) -> Int? {
        var value: JSONValue? = self
        for key in path.split(separator: ".") { value = value?[String(key)] }
        return value?.int64Value.map { Int($0) }
    }
}
