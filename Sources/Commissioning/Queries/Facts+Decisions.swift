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

extension Facts {
    /// The scale of provider `id` as it stood before log position `position` (e.g. at the time of an award).
    func scale(of id: String, before position: UInt64) -> Scale? {
        guard let provider = providers[id] else { return nil }
        let changes = live(provider.scales, on: EntityKind.provider.stream(id))
        return changes.last { $0.stamp.position < position }?.value.scale ?? provider.registration.value.scale
    }
}

extension Facts {
    /// Whether provider `id` was a voluntary or community organisation before log position `position`: the latest
    /// scale change before it that says so, or its registration.
    func isVoluntary(_ id: String, before position: UInt64) -> Bool? {
        guard let provider = providers[id] else { return nil }
        let changes = live(provider.scales, on: EntityKind.provider.stream(id))
        let changed = changes.last { $0.stamp.position < position && $0.value.voluntary != nil }
        return changed?.value.voluntary ?? provider.registration.value.voluntary
    }
}

extension Facts {
    /// The rating of provider `id` in effect on `day`: the latest rating change effective by then (of those effective
    /// the same day, the later in the log), or its registration's.
    func rating(of id: String, on day: Day) -> Rating? {
        guard let provider = providers[id] else { return nil }
        var best: Stamped<RatingChange>?
        for change in live(provider.ratings, on: EntityKind.provider.stream(id)) where change.value.effective <= day {
            if let current = best, change.value.effective < current.value.effective { continue }
            best = change
        }
        return best?.value.rating ?? provider.registration.value.rating
    }
}
