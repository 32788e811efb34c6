import LedgerClient
import LedgerJSON
import LedgerWire

/// Reads events and appends them in batches for `ledgerctl append`, keeping count of what is committed so a
/// failure can say where it stopped.
struct BatchSender {
    let ledger: LedgerConnection
    let stream: String
    /// The condition of the first batch; later ones expect the version the previous batch left (unless `any`).
    let expected: ExpectedVersion
    let input: InputFile
    let maxEvents: Int
    let maxLineBytes: Int

    private var batch = [EventFileReader.Record]()
    private var batchBytes = 0
    private var nextExpected: ExpectedVersion
    private var committed = 0
    private var duplicates = 0
    private var lastCommittedLine = 0
    private var first: UInt64?
    private var last: UInt64 = 0
    private var version: UInt64 = 0
    private var progress = Progress("appended")

    init(
        ledger: LedgerConnection,
        stream: String,
        expected: ExpectedVersion,
        input: InputFile,
        maxEvents: Int,
        maxLineBytes: Int
    ) {
        self.ledger = ledger
        self.stream = stream
        self.expected = expected
        self.input = input
        self.maxEvents = maxEvents
        self.maxLineBytes = maxLineBytes
        nextExpected = expected
    }

    /// The bytes of an `APPEND` line besides its events: verb, stream, expected version, brackets, LF.
    private var lineOverhead: Int { stream.utf8.count + 32 }

    /// Sends everything; returns the line to print.
    /// - Throws: `CommandFailure` naming the input line and what was committed.
    mutating func run() async throws(CommandFailure) -> String {
        var reader = EventFileReader(input)
        let budget = maxLineBytes - lineOverhead
        while true {
            let record: EventFileReader.Record?
            do {
                record = try reader.next()
            } catch {
                progress.finish()
                throw failure(line: error.line, reason: error.reason)
            }
            guard let record else { break }
            if record.size > budget, record.event.canonicalBytes.count > budget {
                progress.finish()
                throw failure(
                    line: record.line,
                    reason: "the event is \(record.size) bytes; a request line may carry \(maxLineBytes) bytes"
                )
            }
            if batch.count == maxEvents || batchBytes + record.size + 1 > budget { try await send() }
            batch.append(record)
            batchBytes += record.size + 1
            progress.update(events: committed + batch.count, bytesDone: input.bytesRead, bytesTotal: input.size)
        }
        if !batch.isEmpty { try await send() }
        progress.finish()
        guard let first else { throw .refused("\(input.name) holds no events") }
        var text =
            "appended \(Format.count(committed)) events to \(stream): positions \(first)-\(last), version \(version)"
        if duplicates > 0 { text += " (\(Format.count(duplicates)) were already stored)" }
        return text
    }

    /// Appends the current batch.
    private mutating func send() async throws(CommandFailure) {
        let events = batch.map(\.event)
        do {
            let result = try await ledger.append(to: stream, expected: nextExpected, events: events)
            committed += events.count
            if result.duplicate { duplicates += events.count }
            lastCommittedLine = batch.last?.line ?? lastCommittedLine
            if first == nil { first = result.first }
            last = max(last, result.last)
            version = result.version
            if expected != .any { nextExpected = .exact(result.version) }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        } catch {
            progress.finish()
            throw failure(error)
        }
    }

    /// The failure for a refused batch, naming the event's line when the server names the event.
    private func failure(_ error: LedgerClientError) -> CommandFailure {
        let firstLine = batch.first?.line ?? 0
        var line = firstLine
        var batchNote = ""
        switch error {
        case .server(.invalidEvent, _, let details):
            if let index = details["index"]?.int64Value, index >= 0, index < batch.count {
                line = batch[Int(index)].line
            }
        case .server(.duplicateID, _, let details):
            let id = details["id"]?.stringValue
            if let record = batch.first(where: { $0.event["id"]?.stringValue == id }) { line = record.line }
        default:
            batchNote = " (the batch of lines \(firstLine)-\(batch.last?.line ?? firstLine))"
        }
        var failure = CommandFailure(error, context: "\(input.name) line \(line)\(batchNote)")
        if case .connectionClosed = error {
            failure.message +=
                "; \(committedText), and the batch from line \(firstLine) may or may not have been; run the same "
                + "command again to finish (committed batches are recognised as duplicates)"
        } else {
            failure.message += "; \(committedText), none after"
        }
        return failure
    }

    /// The failure for bad input at `line`.
    private func failure(line: Int, reason: String) -> CommandFailure {
        .refused("\(input.name) line \(line): \(reason); \(committedText), none after")
    }

    private var committedText: String {
        guard let first else { return "no events were committed" }
        var text =
            "\(Format.count(committed)) events up to line \(lastCommittedLine) were already committed "
            + "(positions \(first)-\(last))"
        if duplicates > 0 { text += ", \(Format.count(duplicates)) of them stored before this run" }
        return text
    }
}
