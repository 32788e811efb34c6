/// The limits the transport keeps for each connection (from `ServerConfiguration`).
struct TransportLimits: Sendable {
    /// The longest request line, LF excluded (`limits.maxLineBytes`).
    var maxLineBytes: Int
    /// Requests read ahead of their replies before reading pauses (`limits.maxPipelinedRequests`).
    var maxPipelinedRequests: Int
    /// How long a connection without a role may go without a request (`limits.unmappedIdleSeconds`).
    var unmappedIdleSeconds: Double

    init(maxLineBytes: Int, maxPipelinedRequests: Int, unmappedIdleSeconds: Double) {
        self.maxLineBytes = maxLineBytes
        self.maxPipelinedRequests = maxPipelinedRequests
        self.unmappedIdleSeconds = unmappedIdleSeconds
    }

    init(_ configuration: ServerConfiguration) {
        self.init(
            maxLineBytes: configuration.maxLineBytes,
            maxPipelinedRequests: configuration.maxPipelinedRequests,
            unmappedIdleSeconds: configuration.unmappedIdleSeconds
        )
    }
}
