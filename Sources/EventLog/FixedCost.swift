/// What a transaction costs whatever it holds (its journal record's sync and LMDB's commit), estimated from what
/// single-event transactions have lately taken: a moving average in which one sample may raise the estimate by a
/// quarter at most (a commit that met a map growth or a stalled disk does not make the writer wait for callers long
/// after), while a faster one lowers it at once by a quarter of the difference.
struct FixedCost: Sendable {
    /// The estimate; nil until a single-event transaction was timed.
    private(set) var estimate: Duration?

    /// Adds the time of a transaction that wrote one event.
    mutating func record(_ elapsed: Duration) {
        estimate = estimate.map { ($0 * 3 + min(elapsed, $0 * 2)) / 4 } ?? elapsed
    }
}
