/// What the registries say of a provider at a given point: its scale, voluntary status and rating.
extension Facts {
    /// The scale of provider `id` as it stood before log position `position` (e.g. at the time of an award).
    func scale(of id: String, before position: UInt64) -> Scale? {
        guard let provider = providers[id] else { return nil }
        let changes = live(provider.scales, on: EntityKind.provider.stream(id))
        return changes.last { $0.stamp.position < position }?.value.scale ?? provider.registration.value.scale
    }

    /// Whether provider `id` was a voluntary or community organisation before log position `position`: the latest
    /// scale change before it that says so, or its registration.
    func isVoluntary(_ id: String, before position: UInt64) -> Bool? {
        guard let provider = providers[id] else { return nil }
        let changes = live(provider.scales, on: EntityKind.provider.stream(id))
        let changed = changes.last { $0.stamp.position < position && $0.value.voluntary != nil }
        return changed?.value.voluntary ?? provider.registration.value.voluntary
    }

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
