extension Facts {
    /// The decision that stands on requirement `id`, if a provider has been selected.
    func standingDecision(_ id: String) -> StandingDecision? {
        guard let record = requirements[id] else { return nil }
        let stream = EntityKind.requirement.stream(id)
        guard let selection = live(record.selections, on: stream).last else { return nil }
        let evaluation = live(record.evaluations, on: stream).last { $0.stamp.position < selection.stamp.position }
        let offer = live(record.offers, on: stream).last { $0.value.offer == selection.value.offer }
        return StandingDecision(selection: selection, evaluation: evaluation, offer: offer)
    }
}
