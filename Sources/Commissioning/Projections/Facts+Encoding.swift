import LedgerJSON

extension Facts {
    /// Every recorded fact as the event it came from (envelope fields, type and normalized data), in log order.
    func encodedEvents() -> [JSONValue] {
        var entries = [(UInt64, JSONValue)]()
        func add<Value>(_ fact: Stamped<Value>, _ kind: EntityKind, _ id: String, _ type: String, _ data: JSONValue) {
            var object: [String: JSONValue] = [
                "stream": .string(kind.stream(id)), "type": .string(type), "data": data,
            ]
            fact.stamp.write(to: &object)
            entries.append((fact.stamp.position, .object(object)))
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
            for fact in record.deliveries { add(fact, .contract, id, "service-delivered", fact.value.json) }
            for fact in record.measurements { add(fact, .contract, id, "outcome-measured", fact.value.json) }
            for fact in record.decisions { add(fact, .contract, id, fact.value.kind.rawValue, fact.value.json) }
            for fact in record.approvals { add(fact, .contract, id, "payment-approved", fact.value.json) }
            for fact in record.payments { add(fact, .contract, id, "payment-made", fact.value.json) }
        }
        for record in corrections {
            var object: [String: JSONValue] = [
                "stream": .string(record.stream), "type": "correction", "data": record.correction.value.json,
            ]
            record.correction.stamp.write(to: &object)
            entries.append((record.correction.stamp.position, .object(object)))
        }
        entries.sort { $0.0 < $1.0 }
        return entries.map(\.1)
    }
}
