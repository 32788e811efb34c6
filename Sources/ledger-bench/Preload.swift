import ArgumentParser
import CommissioningScenario
import EventLog

/// Logs written directly through `EventLog` into a data directory before a daemon opens it, for the benchmarks that
/// need many events stored.
enum Preload {
    /// A seeded commissioning scenario of about `events` events.
    static func scenario(events: Int, seed: UInt64) -> [ProposedDomainEvent] {
        var scenario = Scenario(seed: seed, size: .approximately(events: events))
        var proposed = [ProposedDomainEvent]()
        while let event = scenario.next() { proposed.append(event) }
        return proposed
    }

    /// Appends the events in process, a thousand per transaction, before the daemon starts.
    static func store(_ proposed: [ProposedDomainEvent], in directory: String) throws {
        let log = try EventLog(configuration: .init(directory: directory))
        for start in stride(from: 0, to: proposed.count, by: 1000) {
            try append(proposed[start..<min(start + 1000, proposed.count)], to: log)
        }
    }

    /// Generates a seeded commissioning scenario of about `events` events and appends it in process as it goes, a
    /// thousand per transaction, showing each event to `observe`: memory stays bounded at any size.
    /// - Returns: how many events were stored.
    static func storeScenario(
        events: Int,
        seed: UInt64,
        in directory: String,
        observe: (ProposedDomainEvent) -> Void = { _ in }
    ) throws -> Int {
        let log = try EventLog(configuration: .init(directory: directory))
        var scenario = Scenario(seed: seed, size: .approximately(events: events))
        var chunk = [ProposedDomainEvent]()
        var stored = 0
        while true {
            chunk.removeAll(keepingCapacity: true)
            while chunk.count < 1000, let event = scenario.next() {
                observe(event)
                chunk.append(event)
            }
            guard !chunk.isEmpty else { return stored }
            try append(chunk, to: log)
            stored += chunk.count
        }
    }

    /// Appends `events` in one transaction, each with no expected version.
    private static func append(_ events: some Collection<ProposedDomainEvent>, to log: EventLog) throws {
        let requests = try events.map { event in
            try AppendRequest(
                stream: event.stream,
                expected: .any,
                events: [ProposedEvent(id: event.id, type: event.type, data: event.data, meta: event.meta)]
            )
        }
        for result in log.append(requests) { _ = try result.get() }
    }

    /// Stores `events` generated `x-bench-outcome` events (which every projection ignores): requests of 100 events on
    /// 64 streams, ten requests per durable transaction.
    static func store(events: Int, payloadBytes: Int, seed: UInt64, in directory: String) throws {
        let log = try EventLog(configuration: .init(directory: directory))
        var workload = Workload(seed: seed, idKind: .v7, payloadBytes: payloadBytes)
        var stored = 0
        var stream = 0
        while stored < events {
            var requests = [AppendRequest]()
            while requests.count < 10, stored < events {
                let batch = try (0..<min(100, events - stored)).map { _ in
                    guard let event = workload.nextEvent() else { throw ValidationError("bad generated event") }
                    return event
                }
                requests.append(try AppendRequest(stream: "bench-\(stream % 64)", expected: .any, events: batch))
                stored += batch.count
                stream += 1
            }
            for result in log.append(requests) { _ = try result.get() }
        }
    }
}
