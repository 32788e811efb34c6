import LedgerJSON

/// Who does a consortium contract's work: one member doing all of it (`deliveredBy`), or several sharing it by agreed
/// shares (`sharedBy`).
struct Work: Sendable, Equatable {
    /// A consortium member doing a share of the work.
    struct Worker: Sendable, Equatable {
        var provider: String
        var shareBp: Int64
    }

    var workers: [Worker]
    /// Whether the work is shared (`sharedBy`) rather than done by one member (`deliveredBy`).
    var isShared: Bool

    /// Reads `deliveredBy` or `sharedBy`: nil when `data` names neither; with `required`, one of them must be given.
    static func read(_ data: FieldReader<some JSONReadable>, required: Bool) throws(InvalidEvent) -> Work? {
        switch (data.has("deliveredBy"), data.has("sharedBy")) {
        case (true, true):
            throw InvalidEvent(field: data.field("sharedBy"), message: "give either deliveredBy or sharedBy, not both")
        case (true, false):
            return Work(
                workers: [Worker(provider: try data.identifier("deliveredBy"), shareBp: 10_000)],
                isShared: false
            )
        case (false, true):
            let workers = try data.shares("sharedBy", id: "provider", positive: true).map {
                Worker(provider: $0.id, shareBp: $0.shareBp)
            }
            return Work(workers: workers, isShared: true)
        case (false, false):
            guard required else { return nil }
            throw InvalidEvent(field: data.field("deliveredBy"), message: "is required (or sharedBy)")
        }
    }

    /// The member doing the most of the work (the first listed of those tied).
    var lead: String? { workers.max { $0.shareBp < $1.shareBp }?.provider }

    /// Adds `deliveredBy` or `sharedBy` to `object`.
    func write(to object: inout [String: JSONValue]) {
        if isShared {
            object["sharedBy"] = .array(
                workers.map { ["provider": .string($0.provider), "shareBp": .int($0.shareBp)] }
            )
        } else if let worker = workers.first {
            object["deliveredBy"] = .string(worker.provider)
        }
    }
}
