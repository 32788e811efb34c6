import LedgerJSON

extension Facts {
    /// The facts recorded after log position `after`, each as the event it came from (envelope fields, type and
    /// normalized data) in canonical JSON, in log order, with the number of all facts. Facts never change once
    /// recorded, so the facts after a saved position are exactly what a checkpoint lacks. Each is written once into
    /// one buffer, so no tree of the whole state is ever held in memory.
    func encodedFacts(after: UInt64) -> (count: Int, bytes: [UInt8], lines: [(position: UInt64, range: Range<Int>)]) {
        var count = 0
        var scratch = [UInt8]()
        var lines = [(position: UInt64, range: Range<Int>)]()
        func add(stream: @autoclosure () -> String, type: String, stamp: Stamp, data: @autoclosure () -> JSONValue) {
            count += 1
            guard stamp.position > after else { return }
            var object: [String: JSONValue] = ["stream": .string(stream()), "type": .string(type), "data": data()]
            stamp.write(to: &object)
            let start = scratch.count
            JSONValue.object(object).write(to: &scratch)
            lines.append((stamp.position, start..<scratch.count))
        }
        func add<Value>(
            _ fact: Stamped<Value>,
            _ kind: EntityKind,
            _ id: String,
            _ type: String,
            _ data: @autoclosure () -> JSONValue
        ) {
            add(stream: kind.stream(id), type: type, stamp: fact.stamp, data: data())
        }
        for (id, record) in commissioners {
            add(record.registration, .commissioner, id, "commissioner-registered", record.registration.value.json)
        }
        for (id, record) in providers {
            add(record.registration, .provider, id, "provider-registered", record.registration.value.json)
            for fact in record.ratings { add(fact, .provider, id, "provider-rating-changed", fact.value.json) }
            for fact in record.scales { add(fact, .provider, id, "provider-scale-changed", fact.value.json) }
        }
        for (id, record) in consortia {
            add(record.registration, .consortium, id, "consortium-registered", record.registration.value.json)
        }
        for (id, record) in cases { add(record.need, .case, id, "need-assessed", record.need.value.json) }
        for (id, record) in requirements {
            add(record.publication, .requirement, id, "requirement-published", record.publication.value.json)
            for fact in record.offers { add(fact, .requirement, id, "offer-submitted", fact.value.json) }
            for fact in record.evaluations { add(fact, .requirement, id, "offers-evaluated", fact.value.json) }
            for fact in record.selections { add(fact, .requirement, id, "provider-selected", fact.value.json) }
        }
        for (id, record) in contracts {
            add(record.agreement, .contract, id, "contract-agreed", record.agreement.value.json)
            for fact in record.variations { add(fact, .contract, id, "contract-varied", fact.value.json) }
            for fact in record.endings { add(fact, .contract, id, "contract-ended", fact.value.json) }
            for fact in record.transfers { add(fact, .contract, id, "contract-transferred", fact.value.json) }
            for fact in record.deliveries { add(fact, .contract, id, "service-delivered", fact.value.json) }
            for fact in record.measurements { add(fact, .contract, id, "outcome-measured", fact.value.json) }
            for fact in record.decisions { add(fact, .contract, id, fact.value.kind.rawValue, fact.value.json) }
            for fact in record.approvals { add(fact, .contract, id, "payment-approved", fact.value.json) }
            for fact in record.payments { add(fact, .contract, id, "payment-made", fact.value.json) }
            for fact in record.populationMeasurements {
                add(fact, .contract, id, "population-outcome-measured", fact.value.json)
            }
            for fact in record.qualityAssessments {
                add(fact, .contract, id, "quality-assessed", fact.value.json)
            }
            for fact in record.creditSettlements {
                add(fact, .contract, id, fact.value.kind.rawValue, fact.value.json)
            }
        }
        for record in corrections {
            let correction = record.correction
            add(stream: record.stream, type: "correction", stamp: correction.stamp, data: correction.value.json)
        }
        // `.registries` keeps the cases, requirements and contracts as link lines: `{"link":"requirement","id":..,
        // "to":<its case>,"position":..}` (a contract's `to` is its requirement, with its `consortium` if any).
        func addLink(_ kind: EntityKind, _ id: String, position: UInt64, to parent: String?, consortium: String? = nil)
        {
            count += 1
            guard position > after else { return }
            var object: [String: JSONValue] = [
                "link": .string(kind.rawValue), "id": .string(id), "position": .int(Int64(clamping: position)),
            ]
            if let parent { object["to"] = .string(parent) }
            if let consortium { object["consortium"] = .string(consortium) }
            let start = scratch.count
            JSONValue.object(object).write(to: &scratch)
            lines.append((position, start..<scratch.count))
        }
        for (id, link) in links.cases { addLink(.case, id, position: link.position, to: nil) }
        for (id, link) in links.requirements { addLink(.requirement, id, position: link.position, to: link.caseID) }
        for (id, link) in links.contracts {
            addLink(.contract, id, position: link.position, to: link.requirement, consortium: link.consortium)
        }
        lines.sort { $0.position < $1.position }
        return (count, scratch, lines)
    }
}
