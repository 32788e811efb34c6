import LedgerJSON

extension DomainEvent {
    /// What the catalogue makes of an event.
    enum Decoding: Sendable {
        /// A local extension, or an event that does not decode: the fold only advances past it.
        case ignored
        /// A catalogue event, with the entity id of its stream and the actor from its meta.
        case fact(entity: String, event: CatalogueEvent, actor: String?)
    }

    /// The event with its catalogue decoding done, so that `Projections.apply` only has to record it: folding a long
    /// stretch of the log can decode the next events on other threads meanwhile. Applying it gives the same state.
    public func prepared() -> DomainEvent {
        var event = self
        event.prepare()
        return event
    }

    /// Does the catalogue decoding in place (see `prepared()`), without copying the event.
    public mutating func prepare() {
        decoding = decodedByCatalogue()
    }

    /// Takes the catalogue decoding out of the event (working it out unless `prepare()` did), leaving none.
    mutating func takeDecoding() -> Decoding {
        decoding.take() ?? decodedByCatalogue()
    }

    /// Decodes the event against the catalogue.
    func decodedByCatalogue() -> Decoding {
        // A local extension is not a catalogue type (nor is a type the catalogue does not know).
        guard let catalogueType else { return .ignored }
        return switch payload {
        case .values(let data, let meta): decoded(catalogueType, data: data, meta: meta)
        case .stored(let data, let meta): decoded(catalogueType, data: data, meta: meta)
        }
    }

    private func decoded(_ type: EventType, data: some JSONReadable, meta: some JSONReadable) -> Decoding {
        guard let (entity, event) = try? Catalogue.decode(entity: streamText.entity, type: type, data: data) else {
            return .ignored
        }
        return .fact(entity: entity, event: event, actor: meta["actor"]?.stringValue)
    }
}
