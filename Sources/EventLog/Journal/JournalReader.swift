import DurableFiles

/// Reads a journal back when the log opens: every whole record, in order, up to the first that is not (a torn or
/// never-synced tail ends the journal there; nothing after it was acknowledged).
enum JournalReader {
    /// The records of `segments` (by first position) holding events after `head`.
    /// - Throws: `EventLogError.damaged` when a segment names another ledger, a record straddles `head`, the records
    ///   after `head` do not begin right after it, or a segment does not begin where the one before it ends.
    static func records(
        in segments: [JournalSegment.Found],
        ledger: String,
        after head: UInt64
    ) throws(EventLogError)
        -> [JournalRecord]
    {
        var records = [JournalRecord]()
        var expected: UInt64?
        for segment in segments {
            let read: [UInt8]?
            do {
                read = try FileBytes.read(segment.path, limit: Int.max)
            } catch {
                throw .damaged(error.description)
            }
            let bytes = read ?? []
            let found = try bytes.withUnsafeBytes { buffer -> Result<[JournalRecord], EventLogError> in
                guard JournalSegment.hasHeader(buffer, ledger: ledger) else {
                    // A segment whose header never reached the disk holds nothing either.
                    guard buffer.count < JournalSegment.headerBytes || buffer.allSatisfy({ $0 == 0 }) else {
                        return .failure(.damaged("\(segment.path) is not a journal segment of ledger \(ledger)"))
                    }
                    return .success([])
                }
                return .success(readRecords(buffer, from: segment.first))
            }.get()
            if found.isEmpty { continue }
            guard expected.map({ $0 == segment.first }) ?? true else {
                throw .damaged("\(segment.path) continues a journal that ended before it: records are missing")
            }
            for record in found {
                let last = record.first + UInt64(record.envelopes.count) - 1
                if last <= head { continue }
                guard record.first == head + 1 || !records.isEmpty else {
                    let problem = record.first <= head ? "straddles" : "leaves a gap after"
                    throw .damaged(
                        "\(segment.path) has a record at \(record.first) that \(problem) the data's head \(head)"
                    )
                }
                records.append(record)
            }
            let last = found[found.count - 1]
            expected = last.first + UInt64(last.envelopes.count)
        }
        return records
    }

    /// The whole records of a segment's bytes from its first position on.
    private static func readRecords(_ buffer: UnsafeRawBufferPointer, from first: UInt64) -> [JournalRecord] {
        var records = [JournalRecord]()
        var offset = JournalSegment.headerBytes
        var expected = first
        while let (record, length) = JournalRecord.read(
            UnsafeRawBufferPointer(rebasing: buffer[offset...]),
            expected: expected
        ) {
            records.append(record)
            offset += length
            expected += UInt64(record.envelopes.count)
        }
        return records
    }
}

extension JournalRecord {
    /// The record's events as the appends that store them again at their positions: one per run of a stream's
    /// consecutive versions (of at most `AppendRequest.maxEvents`: a batch may hold more of one stream).
    /// - Throws: `EventLogError.damaged` when an envelope is not one the log stores, or not at its position.
    func requests() throws(EventLogError) -> [AppendRequest] {
        var envelopes = [ReplicatedEnvelope]()
        envelopes.reserveCapacity(self.envelopes.count)
        for (index, bytes) in self.envelopes.enumerated() {
            let envelope: ReplicatedEnvelope
            do {
                envelope = try ReplicatedEnvelope(bytes)
            } catch {
                throw .damaged("the journal's event at \(first + UInt64(index)) is not a stored envelope: \(error)")
            }
            guard envelope.position == first + UInt64(index) else {
                throw .damaged("the journal's event at \(first + UInt64(index)) says position \(envelope.position)")
            }
            envelopes.append(envelope)
        }
        var requests = [AppendRequest]()
        var start = 0
        while start < envelopes.count {
            var end = start + 1
            while end < envelopes.count, end - start < AppendRequest.maxEvents,
                envelopes[end].stream == envelopes[start].stream,
                envelopes[end].version == envelopes[end - 1].version + 1
            {
                end += 1
            }
            let run = envelopes[start..<end]
            do {
                requests.append(
                    try AppendRequest(
                        stream: envelopes[start].stream,
                        expected: .exact(envelopes[start].version - 1),
                        events: run.map(\.event),
                        position: envelopes[start].position
                    )
                )
            } catch {
                throw .damaged("the journal's events at \(envelopes[start].position) cannot be stored again: \(error)")
            }
            start = end
        }
        return requests
    }
}
