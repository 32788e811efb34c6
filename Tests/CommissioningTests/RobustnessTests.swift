import Commissioning
import CommissioningScenario
import LedgerJSON
import Testing

@Suite("Robustness")
struct RobustnessTests {
    static let replacements: [JSONValue] = [
        .null, "", 0, -1, .number(JSONNumber(Int64.max)), .number(JSONNumber(Int64.min)),
        .number(JSONNumber(literal: "1e400") ?? JSONNumber(0)), .number(JSONNumber(literal: "0.5") ?? JSONNumber(0)),
        [], [:], "2026-13", "9999-12", "Jane Smith",
    ]

    @Test("validation, the fold and every query survive events with each field replaced by hostile values")
    func mutatedEvents() throws {
        let fixture = ScenarioFixture(seed: 21, size: .tiny)
        var projections = Projections()
        var position: UInt64 = 0
        var accepted = 0
        for (index, event) in fixture.events.enumerated() {
            position += 1
            var original = event
            original.position = position
            projections.apply(original)
            guard index % 3 == 0, case .object(let members) = event.data else { continue }
            for key in members.keys.sorted() {
                for replacement in Self.replacements {
                    var data = members
                    data[key] = replacement
                    var mutated = event
                    mutated.data = .object(data)
                    mutated.id =
                        "00000000-0000-7000-8000-"
                        + String(repeating: "0", count: 12 - String(position, radix: 16).count)
                        + String(position, radix: 16)
                    if (try? Catalogue.validate(
                        stream: event.stream,
                        type: event.type,
                        data: mutated.data,
                        meta: event.meta
                    )) != nil {
                        accepted += 1
                    }
                    position += 1
                    mutated.position = position
                    projections.apply(mutated)
                }
            }
        }
        #expect(accepted > 0)
        #expect(projections.position == position)
        let decoded = try Projections(decoding: projections.encoded())
        #expect(decoded == projections)
        for commissioner in fixture.reckoning.commissioners.keys {
            _ = try projections.query(["payments", "commissioner", commissioner])
            _ = try projections.query(["market", "commissioner", commissioner])
            _ = try projections.query(["audit", "exceptions", commissioner])
        }
        for event in fixture.events where event.type == "contract-agreed" || event.type == "provider-registered" {
            let parts = event.stream.split(separator: "-", maxSplits: 1).map(String.init)
            if parts[0] == "contract" {
                _ = try projections.query(["payments", "contract", parts[1]])
                _ = try projections.query(["audit", "contract", parts[1]])
            } else {
                _ = try projections.query(["payments", "provider", parts[1]])
                _ = try projections.query(["quality", "provider", parts[1]])
            }
        }
    }
}
