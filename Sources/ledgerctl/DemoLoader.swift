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

    /// Appends `events`, redrawing `progress` as batches commit.
    /// - Throws: `CommandFailure` with the server's error for the first batch refused, and what was loaded before.
    func load(_ events: [ProposedDomainEvent], progress: inout Progress) async throws(CommandFailure) -> Loaded {
        let batches = Self.batches(events)
        var loaded = Loaded()
        var start = 0
        while start < batches.count {
            let window = Array(batches[start..<min(start + Self.window, batches.count)])
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
            start += window.count
            let done = loaded.appended + loaded.duplicates
            progress.update(events: done, bytesDone: done, bytesTotal: events.count)
        }
        progress.finish()
        return loaded
    }

    /// Consecutive events of one stream grouped, in order, at most `maxBatchEvents` a batch.
    static func batches(_ events: [ProposedDomainEvent]) -> [AppendBatch] {
        var batches = [AppendBatch]()
        for event in events {
            let object: JSONValue = [
                "id": .string(event.id), "type": .string(event.type), "data": event.data, "meta": event.meta,
            ]
            if let last = batches.last, last.stream == event.stream, last.events.count < maxBatchEvents {
                batches[batches.count - 1].events.append(object)
            } else {
                batches.append(AppendBatch(stream: event.stream, expected: .any, events: [object]))
            }
        }
        return batches
    }
}
