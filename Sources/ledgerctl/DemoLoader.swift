import CommissioningScenario
import LedgerClient
import LedgerJSON

/// Appends generated events in their order: consecutive events of one stream go in one `APPEND` (expected `any`),
/// and a window of batches is pipelined at a time.
struct DemoLoader {
    let ledger: LedgerConnection

    /// Events per `APPEND` at most.
    static let maxBatchEvents = 64
    /// `APPEND`s in flight at once.
    static let window = 128

    /// What a load wrote.
    struct Loaded {
        /// Events appended by this run.
        var appended = 0
        /// Events that were already stored (a rerun with the same seed and size).
        var duplicates = 0
        /// The log position of the last event.
        var last: UInt64 = 0
    }

    /// Appends every event `scenario` generates, generating a window of batches at a time (so memory stays bounded
    /// however many cases it runs), shows each event to `observe`, and redraws `progress` as batches commit.
    /// - Throws: `CommandFailure` with the server's error for the first batch refused, and what was loaded before.
    func load(
        _ scenario: inout Scenario,
        observe: (ProposedDomainEvent) -> Void,
        progress: inout Progress
    ) async throws(CommandFailure) -> Loaded {
        var loaded = Loaded()
        var batches = [AppendBatch]()
        var generated = false
        while true {
            // One batch more than the window, so that every batch sent is complete.
            while !generated, batches.count <= Self.window {
                guard let event = scenario.next() else {
                    generated = true
                    break
                }
                observe(event)
                Self.add(event, to: &batches)
            }
            let window = Array(batches.prefix(generated ? batches.count : Self.window))
            guard !window.isEmpty else { break }
            batches.removeFirst(window.count)
            for (batch, result) in zip(window, await ledger.append(window)) {
                switch result {
                case .success(let appended):
                    if appended.duplicate {
                        loaded.duplicates += batch.events.count
                    } else {
                        loaded.appended += batch.events.count
                    }
                    loaded.last = max(loaded.last, appended.last)
                case .failure(let error):
                    progress.finish()
                    var failure = CommandFailure(error, context: "demo event for \(batch.stream)")
                    failure.message += "; \(loaded.appended + loaded.duplicates) events were loaded before it"
                    throw failure
                }
            }
            progress.update(
                events: loaded.appended + loaded.duplicates,
                bytesDone: scenario.casesStarted,
                bytesTotal: scenario.size.cases
            )
        }
        progress.finish()
        return loaded
    }

    /// Adds `event` to the last batch when it is of the same stream and not full, else as a new batch.
    static func add(_ event: ProposedDomainEvent, to batches: inout [AppendBatch]) {
        let object: JSONValue = [
            "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
        ]
        if let last = batches.last, last.stream == event.stream, last.events.count < maxBatchEvents {
            batches[batches.count - 1].events.append(object)
        } else {
            batches.append(AppendBatch(stream: event.stream, expected: .any, events: [object]))
        }
    }
}
