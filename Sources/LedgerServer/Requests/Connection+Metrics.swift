import LedgerProtocol

extension Connection {
    /// The media type of the `text` in a `METRICS` reply.
    static let metricsContentType = "text/plain; version=0.0.4"

    /// `METRICS`: `OK {"contentType","text"}` where `text` is the Prometheus text exposition (many lines, kept on
    /// one reply line by JSON string escaping).
    func metrics(outbound: Outbound) async throws {
        try await send(
            ok: [
                "contentType": .string(Self.metricsContentType),
                "text": .string(await ports.report.metricsExposition(process: true)),
            ],
            to: outbound
        )
    }
}
