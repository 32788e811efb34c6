import ArgumentParser
import LedgerJSON
import LedgerTestSupport

/// The figures of the daemon's `STATUS` that the benchmarks follow.
struct DaemonStatus {
    /// The last position written.
    var head: Int64
    /// How far the commissioning projections are behind the head, in events.
    var lag: Int64
    /// The position of the projections' last saved checkpoint (0 before the first).
    var checkpoint: Int64
    /// Bytes of the LMDB map in use.
    var mapUsed: Int64

    /// Asks `client` for `STATUS`.
    init(_ client: LineClient, timeout: Double = 60) throws {
        let reply = try client.request("STATUS", timeout: timeout)
        let status = try JSONParser.parse(String(reply.dropFirst(3)))
        let projection = status["projections"]?.arrayValue?.first
        guard reply.hasPrefix("OK "), let head = status["head"]?.int64Value, let lag = projection?["lag"]?.int64Value,
            let checkpoint = projection?["checkpoint"]?.int64Value, let mapUsed = status["map"]?["used"]?.int64Value
        else { throw ValidationError("STATUS answered \(reply.prefix(300))") }
        (self.head, self.lag, self.checkpoint, self.mapUsed) = (head, lag, checkpoint, mapUsed)
    }
}
