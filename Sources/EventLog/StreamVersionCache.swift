/// The current versions of recently written streams, kept by the single writer so that most appends skip the
/// stream-index lookup. Bounded: when full it starts again empty, which only costs lookups.
struct StreamVersionCache: Sendable {
    private var versions: [String: UInt64] = [:]
    /// The most streams remembered at once.
    static let capacity = 65_536

    /// The cached version of `stream`, or nil when it has to be looked up.
    subscript(stream: String) -> UInt64? { versions[stream] }

    /// Records the versions a committed transaction left its streams at.
    mutating func merge(_ committed: [String: UInt64]) {
        if versions.count + committed.count > Self.capacity { versions.removeAll(keepingCapacity: true) }
        versions.merge(committed) { _, new in new }
    }
}
