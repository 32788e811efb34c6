import LedgerClient

/// Re-appends an export's events in log order for `ledgerctl import`: consecutive events of one stream go in one
/// batch expecting the version before the first, and batches are pipelined, a window at a time.
struct Importer {
    let ledger: LedgerConnection
    let input: InputFile
    let maxEvents: Int
    let maxLineBytes: Int

    /// A batch with the file lines and positions of its events.
    private struct Pending {
        var batch: AppendBatch
        var firstLine: Int
        var firstPosition: UInt64
        var bytes: Int
    }

    private var window = [Pending]()
    private var windowBytes = 0
    private var imported = 0
    private var lastImportedLine = 0
    private var progress = Progress("imported")

    /// Batches sent together before waiting for their results.
    static let windowBatches = 64
    /// Bytes sent together before waiting for their results.
    static let windowBytesLimit = 8 << 20

    init(ledger: LedgerConnection, input: InputFile, maxEvents: Int, maxLineBytes: Int) {
        self.ledger = ledger
        self.input = input
        self.maxEvents = maxEvents
        self.maxLineBytes = maxLineBytes
    }

    /// Imports everything; returns the number of events.
    /// - Throws: `CommandFailure` naming the line and how much was imported.
    mutating func run() async throws(CommandFailure) -> Int {
        var reader = EventFileReader(input)
        var expectedPosition: UInt64 = 1
        let budget = maxLineBytes - 200
        while true {
            let record: EventFileReader.Record?
            do {
                record = try reader.next()
            } catch {
                throw failure(line: error.line, reason: error.reason)
            }
            guard let record else { break }
            let event: ExportedEvent
            do {
                event = try ExportedEvent(record.event)
            } catch {
                throw failure(line: record.line, reason: "not an exported event: \(error.reason)")
            }
            guard event.position == expectedPosition else {
                throw failure(
                    line: record.line,
                    reason: "position \(event.position) where \(expectedPosition) was expected "
                        + "(import needs a complete ndjson export from position 1)"
                )
            }
            expectedPosition += 1
            if let last = window.last, last.batch.stream == event.stream, last.batch.events.count < maxEvents,
                last.bytes + record.size + 1 < budget
            {
                window[window.count - 1].batch.events.append(event.proposed)
                window[window.count - 1].bytes += record.size + 1
            } else {
                if window.count >= Self.windowBatches || windowBytes >= Self.windowBytesLimit { try await flush() }
                window.append(
                    Pending(
                        batch: AppendBatch(
                            stream: event.stream,
                            expected: .exact(event.version - 1),
                            events: [event.proposed]
                        ),
                        firstLine: record.line,
                        firstPosition: event.position,
                        bytes: record.size + 1
                    )
                )
            }
            windowBytes += record.size
        }
        try await flush()
        progress.finish()
        guard imported > 0 else { throw .refused("\(input.name) holds no events") }
        return imported
    }

    /// Sends the window's batches pipelined and checks each landed at its exported positions.
    private mutating func flush() async throws(CommandFailure) {
        let results = await ledger.append(window.map(\.batch))
        for (pending, result) in zip(window, results) {
            switch result {
            case .success(let stored) where stored.first == pending.firstPosition && !stored.duplicate:
                imported += pending.batch.events.count
                lastImportedLine = pending.firstLine + pending.batch.events.count - 1
            case .success(let stored) where stored.duplicate:
                throw failure(
                    line: pending.firstLine,
                    reason: "the event is already stored at position \(stored.first) (is an event id repeated?)"
                )
            case .success(let stored):
                throw failure(
                    line: pending.firstLine,
                    reason: "stored at position \(stored.first) instead of \(pending.firstPosition) "
                        + "(was something else writing to this ledger?)"
                )
            case .failure(let error):
                progress.finish()
                var failure = CommandFailure(error, context: "\(input.name) line \(pending.firstLine)")
                failure.message += "; " + importedText
                throw failure
            }
        }
        window.removeAll(keepingCapacity: true)
        windowBytes = 0
        progress.update(events: imported, bytesDone: input.bytesRead, bytesTotal: input.size)
    }

    private func failure(line: Int, reason: String) -> CommandFailure {
        progress.finish()
        return .refused("\(input.name) line \(line): \(reason); \(importedText)")
    }

    private var importedText: String {
        guard imported > 0 else { return "nothing was imported" }
        return "\(Format.count(imported)) events were imported (up to position \(imported)); this ledger is now "
            + "a partial copy: import again into an empty ledger"
    }
}
