import Commissioning
import LedgerJSON
import Testing

@Suite("Catalogue validation")
struct ValidationTests {
    static let provider: [String: JSONValue] = [
        "name": "Riverside Home Care Ltd", "scale": "small", "voluntary": false, "regulator": "cqc", "rating": "good",
    ]
    static let offer: [String: JSONValue] = ["offerId": "O1", "provider": "P1", "pricePence": 1000, "outcomes": ["A"]]
    static let blended: [String: JSONValue] = [
        "model": "blended", "periodPricePence": 200_000, "atRiskBp": 2500,
        "weights": [["outcome": "A", "weightBp": 6000], ["outcome": "B", "weightBp": 4000]],
    ]

    /// The field named by the error `validate` throws, or nil when the event is valid.
    static func refusal(
        _ stream: String,
        _ type: String,
        _ data: [String: JSONValue],
        meta: JSONValue = [:]
    ) -> String? {
        refusal(stream, type, .object(data), meta: meta)
    }

    static func refusal(_ stream: String, _ type: String, _ data: JSONValue, meta: JSONValue = [:]) -> String? {
        do {
            _ = try Catalogue.validate(stream: stream, type: type, data: data, meta: meta)
            return nil
        } catch {
            #expect(!error.message.isEmpty)
            return error.field
        }
    }

    static func contract(_ payment: [String: JSONValue]) -> [String: JSONValue] {
        [
            "requirement": "R1", "commissioner": "LA1", "provider": "P1", "start": "2026-10-01",
            "payment": .object(payment),
        ]
    }

    @Test("an unknown event type names `type`")
    func unknownType() {
        #expect(Self.refusal("provider-P1", "provider-renamed", Self.provider) == "type")
    }

    @Test("a missing field is named")
    func missingField() {
        var data = Self.provider
        data["scale"] = nil
        #expect(Self.refusal("provider-P1", "provider-registered", data) == "data.scale")
    }

    @Test("a field of the wrong JSON type is named")
    func wrongType() {
        var data = Self.provider
        data["voluntary"] = "no"
        #expect(Self.refusal("provider-P1", "provider-registered", data) == "data.voluntary")
        var offer = Self.offer
        offer["outcomes"] = "A"
        #expect(Self.refusal("requirement-R1", "offer-submitted", offer) == "data.outcomes")
    }

    @Test(
        "money must be an integer number of pence within Int64, not negative",
        arguments: ["12.5", "1e3", "-1", "9223372036854775808", "\"100\""]
    )
    func money(literal: String) throws {
        var offer = Self.offer
        offer["pricePence"] = try JSONParser.parse(literal)
        #expect(Self.refusal("requirement-R1", "offer-submitted", offer) == "data.pricePence")
    }

    @Test("the largest Int64 amount is accepted")
    func largestMoney() throws {
        var offer = Self.offer
        offer["pricePence"] = try JSONParser.parse("9223372036854775807")
        #expect(Self.refusal("requirement-R1", "offer-submitted", offer) == nil)
    }

    @Test("basis points must be within 0...10000", arguments: ["10001", "-1", "50.5"])
    func basisPoints(literal: String) throws {
        var payment = Self.blended
        payment["atRiskBp"] = try JSONParser.parse(literal)
        #expect(Self.refusal("contract-K1", "contract-agreed", Self.contract(payment)) == "data.payment.atRiskBp")
    }

    @Test("an element out of range is named with its index")
    func nestedPath() {
        var payment = Self.blended
        payment["weights"] = [["outcome": "A", "weightBp": 6000], ["outcome": "B", "weightBp": 10_001]]
        #expect(
            Self.refusal("contract-K1", "contract-agreed", Self.contract(payment)) == "data.payment.weights[1].weightBp"
        )
    }

    @Test("weights that do not sum to 10000 name the array")
    func weightsSum() {
        var payment = Self.blended
        payment["weights"] = [["outcome": "A", "weightBp": 6000], ["outcome": "B", "weightBp": 3000]]
        #expect(Self.refusal("contract-K1", "contract-agreed", Self.contract(payment)) == "data.payment.weights")
    }

    @Test("consortium shares that do not sum to 10000 name the array")
    func sharesSum() {
        let data: [String: JSONValue] = [
            "name": "Partnership", "integrator": "P1", "managementFeeBp": 500,
            "members": [["provider": "P1", "shareBp": 5000], ["provider": "P2", "shareBp": 5001]],
        ]
        #expect(Self.refusal("consortium-X1", "consortium-registered", data) == "data.members")
    }

    @Test("an event on the wrong kind of stream names `stream`")
    func wrongStream() {
        #expect(Self.refusal("contract-K1", "offer-submitted", Self.offer) == "stream")
        #expect(Self.refusal("widget-W1", "offer-submitted", Self.offer) == "stream")
        #expect(Self.refusal("requirement-", "offer-submitted", Self.offer) == "stream")
        #expect(Self.refusal("requirement-R 1", "offer-submitted", Self.offer) == "stream")
    }

    @Test("an unknown enumeration value is named")
    func unknownEnum() {
        var data = Self.provider
        data["rating"] = "excellent"
        #expect(Self.refusal("provider-P1", "provider-registered", data) == "data.rating")
    }

    @Test("an unknown (misspelt) field is refused by name")
    func unknownField() {
        var offer = Self.offer
        offer["priceInPence"] = 5
        #expect(Self.refusal("requirement-R1", "offer-submitted", offer) == "data.priceInPence")
    }

    @Test("a spot purchase or direct award needs a justification")
    func justification() {
        let data: [String: JSONValue] = [
            "case": "C1", "commissioner": "LA1", "outcomes": [], "preferences": [], "route": "spot-purchase",
            "invited": ["P1"],
        ]
        #expect(Self.refusal("requirement-R1", "requirement-published", data) == "data.justification")
        var justified = data
        justified["justification"] = "same-day hospital discharge"
        #expect(Self.refusal("requirement-R1", "requirement-published", justified) == nil)
    }

    @Test("a non-top-ranked selection needs a reason")
    func overrideReason() {
        let data: [String: JSONValue] = [
            "offerId": "O2", "decidedBy": "panel:brokerage", "basis": "capacity", "rationale": "could start sooner",
            "rank": 2,
        ]
        #expect(Self.refusal("requirement-R1", "provider-selected", data) == "data.reason")
    }

    @Test("a person reference cannot hold a name (no spaces), and there is no field for one")
    func noNames() {
        let data: [String: JSONValue] = [
            "personRef": "Jane Smith", "commissioner": "LA1", "outcomes": [], "preferences": [],
        ]
        #expect(Self.refusal("case-C1", "need-assessed", data) == "data.personRef")
        var named = data
        named["personRef"] = "pr-1"
        named["name"] = "Jane Smith"
        #expect(Self.refusal("case-C1", "need-assessed", named) == "data.name")
    }

    @Test("meta must be an object and meta.actor an identifier")
    func meta() {
        #expect(Self.refusal("provider-P1", "provider-registered", Self.provider, meta: "actor") == "meta")
        #expect(Self.refusal("provider-P1", "provider-registered", Self.provider, meta: ["actor": 5]) == "meta.actor")
        #expect(Self.refusal("provider-P1", "provider-registered", Self.provider, meta: ["correlation": "c-1"]) == nil)
    }

    @Test("x- extensions need only a data object, and their own stream to exist when it is an entity's")
    func extensions() throws {
        #expect(Self.refusal("anything", "x-local", [1, 2]) == "data")
        let data: JSONValue = ["a": .number(JSONNumber(literal: "1.5")!)]
        let free = ["anything", "notes-7", "audit-trail", "case-", "cases-C1"]
        let entities = ["case-C1", "commissioner-LA1", "provider-P1", "consortium-X1", "requirement-R1", "contract-K1"]
        for stream in free + entities {
            let requirements = try Catalogue.validate(
                stream: stream,
                type: "x-local",
                data: data,
                meta: [:] as JSONValue
            )
            let needed = entities.contains(stream) ? [stream] : []
            #expect(requirements == EventRequirements(createsEntity: false, referencedStreams: needed), "\(stream)")
        }
    }

    @Test("creating events report createsEntity; others require their own stream and reference the rest")
    func requirements() throws {
        let created = try Catalogue.validate(
            stream: "contract-K1",
            type: "contract-agreed",
            data: JSONValue.object(Self.contract(Self.blended)),
            meta: [:] as JSONValue
        )
        #expect(created.createsEntity)
        #expect(created.referencedStreams == ["requirement-R1", "commissioner-LA1", "provider-P1"])
        let offer = try Catalogue.validate(
            stream: "requirement-R1",
            type: "offer-submitted",
            data: JSONValue.object(Self.offer),
            meta: [:] as JSONValue
        )
        #expect(!offer.createsEntity)
        #expect(offer.referencedStreams == ["requirement-R1", "provider-P1"])
    }

    @Test("dates and months must be real")
    func dates() {
        let data: [String: JSONValue] = ["regulator": "cqc", "rating": "good", "effective": "2026-02-29"]
        #expect(Self.refusal("provider-P1", "provider-rating-changed", data) == "data.effective")
        var leap = data
        leap["effective"] = "2028-02-29"
        #expect(Self.refusal("provider-P1", "provider-rating-changed", leap) == nil)
    }
}
