import LedgerProtocol

/// The state of one subscription iteration: its current connection, the next position wanted, reconnecting.
actor SubscriptionSession {
    private let subscription: LedgerSubscription
    /// The next position wanted: one past the last event delivered or the head announced by `LIVE`.
    private var next: UInt64
    private var connection: LedgerConnection?
    private var buffer: SubscriptionBuffer?
    /// When the current outage began; nil while connected and receiving.
    private var droppedAt: ContinuousClock.Instant?
    /// Reconnection attempts since the outage began.
    private var attempts = 0
    private var finished = false

    init(_ subscription: LedgerSubscription) {
        self.subscription = subscription
        next = max(subscription.from, 1)
    }

    deinit {
        buffer?.cancel()
    }

    /// The next event; nil when finished or cancelled.
    func next() async throws(LedgerClientError) -> LedgerEvent? {
        while !finished {
            let current: SubscriptionBuffer?
            do {
                current = try await currentBuffer()
            } catch {
                await end()
                throw error
            }
            guard let buffer = current, let item = await buffer.next() else {
                await end()
                return nil
            }
            switch item {
            case .success(.event(let event)):
                droppedAt = nil
                attempts = 0
                guard event.position >= next else { continue }
                next = event.position + 1
                return event
            case .success(.live(let json)):
                droppedAt = nil
                attempts = 0
                if let head = json["position"]?.int64Value, head >= 0 { next = max(next, UInt64(head) + 1) }
            case .success(.end):
                try await drop(because: .connectionClosed)
            case .failure(let error):
                guard Self.isResumable(error) else {
                    await end()
                    throw error
                }
                if case .server(.overloaded, _, let details) = error, let position = details["position"]?.int64Value,
                    position > 0
                {
                    next = max(next, UInt64(position))
                }
                try await drop(because: error)
            }
        }
        return nil
    }

    /// The buffer of the current connection, connecting (or reconnecting, with back-off) when there is none; nil
    /// when cancelled while waiting.
    private func currentBuffer() async throws(LedgerClientError) -> SubscriptionBuffer? {
        if let buffer { return buffer }
        while true {
            if droppedAt != nil {
                attempts += 1
                do {
                    try await Task.sleep(for: subscription.reconnect.delay(before: attempts))
                } catch {
                    return nil
                }
            }
            do {
                let connection = try await LedgerConnection.connect(to: subscription.socketPath, tls: subscription.tls)
                let buffer = connection.subscribe(
                    try LedgerConnection.line(.subscribe(from: next, types: subscription.types))
                )
                self.connection = connection
                self.buffer = buffer
                return buffer
            } catch {
                guard let droppedAt, case .cannotConnect = error else { throw error }
                if let limit = subscription.reconnect.giveUpAfter, ContinuousClock.now - droppedAt >= limit {
                    throw error
                }
            }
        }
    }

    /// Closes the current connection after a drop, so the next call reconnects; throws `error` when the outage
    /// has lasted longer than the policy allows.
    private func drop(because error: LedgerClientError) async throws(LedgerClientError) {
        let now = ContinuousClock.now
        let since = droppedAt ?? now
        droppedAt = since
        await closeConnection()
        if let limit = subscription.reconnect.giveUpAfter, now - since >= limit {
            await end()
            throw error
        }
    }

    private func end() async {
        finished = true
        await closeConnection()
    }

    private func closeConnection() async {
        buffer?.cancel()
        buffer = nil
        await connection?.close()
        connection = nil
    }

    /// Failures after which the subscription reconnects and resumes.
    private static func isResumable(_ error: LedgerClientError) -> Bool {
        switch error {
        case .connectionClosed: true
        case .server(let code, _, _): code == .overloaded || code == .shuttingDown
        default: false
        }
    }
}
