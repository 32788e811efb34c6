import NIOCore

/// Writes the replies of a command that runs in a task (reads, queries, subscriptions) to its connection.
///
/// Each write returns once the socket has taken the bytes, so a client that stops reading holds the task back
/// instead of growing the daemon's memory; closing the connection fails the pending write.
struct ReplyWriter: Sendable {
    let channel: any Channel

    /// Writes `buffer` and waits until the socket has taken it.
    func write(_ buffer: ByteBuffer) async throws {
        try await channel.writeAndFlush(buffer).get()
    }

    /// Writes `buffer`; true when the socket took it within `seconds`, false when it did not (or the write failed).
    func write(_ buffer: ByteBuffer, within seconds: Double) async -> Bool {
        await Self.completes(channel.writeAndFlush(buffer), within: seconds)
    }

    /// Whether `future` succeeds within `seconds`.
    static func completes(_ future: EventLoopFuture<Void>, within seconds: Double) async -> Bool {
        let eventLoop = future.eventLoop
        let answer = eventLoop.makePromise(of: Bool.self)
        let timeout = eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) { answer.succeed(false) }
        future.whenComplete { result in
            timeout.cancel()
            if case .success = result { answer.succeed(true) } else { answer.succeed(false) }
        }
        return (try? await answer.futureResult.get()) ?? false
    }
}
