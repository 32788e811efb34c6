import Commissioning
import EventLog
import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore
import NIOPosix

extension Connection {
    /// Runs a command whose turn has come and writes its reply.
    func execute(_ command: Command, outbound: Outbound) async throws {
        switch command {
        case .hello:
            try await send(ok: hello, to: outbound)
        case .status:
            try await send(ok: ports.report.status, to: outbound)
        case .read(let stream, let from, let limit):
            guard Naming.isValid(stream) else {
                try await send(error: EventLogError.invalidStreamName(stream).wire, to: outbound)
                return
            }
            try await streamEvents(limit: limit, from: max(from, 1), outbound: outbound) { next, count in
                try ports.log.read(stream: stream, from: next, limit: count, maxBytes: pageBytes)
            } next: { event in
                (try? event.envelope().version).map { $0 + 1 } ?? 0
            }
        case .readBack(let stream, let from, let limit):
            try await readBack(stream: stream, from: from, limit: limit, outbound: outbound)
        case .stream(let stream):
            guard Naming.isValid(stream) else {
                try await send(error: EventLogError.invalidStreamName(stream).wire, to: outbound)
                return
            }
            let info: EventLog.StreamInfo
            do {
                info = try ports.log.info(of: stream)
            } catch {
                try await send(error: error.wire, to: outbound)
                return
            }
            var answer: [String: JSONValue] = ["stream": .string(stream), "version": .number(.init(info.version))]
            if let first = info.first, let last = info.last {
                (answer["first"], answer["last"]) = (.number(.init(first)), .number(.init(last)))
            }
            try await send(ok: .object(answer), to: outbound)
        case .readAll(let from, let limit):
            try await readAll(from: from, limit: limit, outbound: outbound)
        case .replicate(let from, let stored, let limit):
            ports.replication.followers.stored(stored, by: "\(peer)", head: ports.log.head.position)
            // Caught up: waits a while for the next events, so that a follower hears of them at once.
            if from > ports.log.head.position {
                _ = await ports.notifier.wait(until: from, timeout: Self.replicateWait)
            }
            try await readAll(from: from, limit: limit, outbound: outbound)
        case .verify(let from, let to):
            let log = ports.log
            let outcome = try await NIOThreadPool.singleton.runIfActive {
                Result { () throws(EventLogError) in
                    let head = log.head.position
                    for requested in [to, from].compactMap(\.self) where requested > head {
                        throw .beyondHead(requested: requested, head: head)
                    }
                    return try log.verify(from: from ?? 1, to: to)
                }
            }
            switch outcome {
            case .success(let report):
                try await send(
                    ok: [
                        "verified": .number(.init(report.verified)), "size": .number(.init(report.size)),
                        "root": .string(report.root.description),
                    ],
                    to: outbound
                )
            case .failure(let error):
                try await send(error: error.wire, to: outbound)
            }
        case .query(let arguments, let after):
            try await query(arguments, after: after, outbound: outbound)
        case .rebuild(let name):
            try await rebuild(name, outbound: outbound)
        case .prove(let position, let size):
            try await prove(position: position, size: size, outbound: outbound)
        case .consistency(let oldSize, let newSize):
            try await consistency(oldSize: oldSize, newSize: newSize, outbound: outbound)
        case .checkpoint(let size):
            try await checkpoint(size: size, outbound: outbound)
        case .checkpoints(let from, let limit):
            try await checkpoints(from: from, limit: limit, outbound: outbound)
        case .cosign(let size, let witness, let signature):
            try await cosign(size: size, witness: witness, signature: signature, outbound: outbound)
        case .backup(let name):
            try await backup(name, outbound: outbound)
        case .metrics:
            try await metrics(outbound: outbound)
        case .promote:
            try await answer(outbound) { () async throws(ProtocolError) in try await ports.replication.promote() }
        case .fence(let epoch, let primary):
            try await answer(outbound) { () async throws(ProtocolError) in
                try await ports.replication.fence(epoch: epoch, primary: primary)
            }
        case .ping, .quit, .append, .subscribe, .unsubscribe, .consume, .ack, .stored:
            try await send(error: ProtocolError(.internal, "unexpected command routing"), to: outbound)
        }
    }

    /// Sends `OK` with what `body` returns, or the error it throws.
    private func answer(
        _ outbound: Outbound,
        _ body: () async throws(ProtocolError) -> JSONValue
    ) async throws {
        let outcome: Result<JSONValue, ProtocolError>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let json): try await send(ok: json, to: outbound)
        case .failure(let error): try await send(error: error, to: outbound)
        }
    }

    /// The longest `REPLICATE` waits for events past the head before it answers with none.
    static let replicateWait = Duration.seconds(1)

    /// `READALL` (and `REPLICATE`): the log from `from` up to the head now, as `EVENT` lines.
    private func readAll(from: UInt64, limit: Int?, outbound: Outbound) async throws {
        let head = ports.log.head.position
        try await streamEvents(limit: limit, from: max(from, 1), outbound: outbound) { next, count in
            guard next <= head else { return [] }
            return try ports.log.readAll(from: next, limit: min(count, Int(head - next + 1)), maxBytes: pageBytes)
        } next: {
            $0.position + 1
        }
    }

    /// Streams pages of events as `EVENT` lines, then `END {"count","next"}`. A page holds at most `readPageSize`
    /// events and `pageBytes` of them, and the next is read only once the socket has taken the last.
    /// `READBACK`: `stream`'s events newest first, from version `from` down (0: from its last), in pages; `END`'s
    /// `next` is the version to go on from (0: none is left).
    private func readBack(stream: String, from: UInt64, limit: Int?, outbound: Outbound) async throws {
        guard Naming.isValid(stream) else {
            try await send(error: EventLogError.invalidStreamName(stream).wire, to: outbound)
            return
        }
        let start: UInt64
        do {
            start = from == 0 ? try ports.log.version(of: stream) : from
        } catch {
            try await send(error: error.wire, to: outbound)
            return
        }
        try await streamEvents(limit: limit, from: start, backwards: true, outbound: outbound) { next, count in
            // Version 0 is past the first: nothing is left (and 0 would mean "from the last" to the log).
            guard next > 0 else { return [] }
            return try ports.log.read(stream: stream, backwardFrom: next, limit: count, maxBytes: pageBytes)
        } next: { event in
            (try? event.envelope().version).map { $0 - 1 } ?? 0
        }
    }

    /// Streams pages of events from `start` (forwards, or `backwards`), each read by `page(from, count)`, the next
    /// page starting at `next(last event)`, up to `limit` events; then `END {"count","next"}`.
    private func streamEvents(
        limit: Int?,
        from start: UInt64,
        backwards: Bool = false,
        outbound: Outbound,
        page: (UInt64, Int) throws -> [RecordedEvent],
        next: (RecordedEvent) -> UInt64
    ) async throws {
        let pageSize = ports.configuration.readPageSize
        var position = start
        var count = 0
        // The events themselves are let go before the write is waited for: only their lines stay queued.
        func lines(_ wanted: Int) throws -> (lines: ByteBuffer, count: Int, after: UInt64)? {
            let events = try page(position, wanted)
            guard let last = events.last else { return nil }
            return (Self.eventLines(events), events.count, next(last))
        }
        do {
            while true {
                let wanted = min(pageSize, (limit ?? Int.max) - count)
                guard wanted > 0, let page = try lines(wanted) else { break }
                count += page.count
                try await outbound.write(page.lines)
                // A short page is not the end (pages are bounded in bytes too), so a page that does not move on is.
                guard backwards ? page.after < position : page.after > position else { break }
                position = page.after
            }
        } catch let error as EventLogError {
            try await send(error: error.wire, to: outbound)
            return
        }
        var reply = [UInt8]()
        Reply.end(["count": .number(.init(count)), "next": .number(.init(position))], to: &reply)
        try await outbound.write(ByteBuffer(bytes: reply))
    }

    /// The stored bytes one page of streamed events may hold: half of `maxQueuedOutputBytes`, the other half being
    /// for the connection's other replies (the write-buffer water mark set in `SocketServer.bind`).
    var pageBytes: Int { ports.configuration.maxQueuedOutputBytes / 2 }

    /// `events` as `EVENT` lines in one buffer.
    static func eventLines(_ events: [RecordedEvent]) -> ByteBuffer {
        var lines = [UInt8]()
        // Each line is "EVENT ", the stored bytes and LF.
        lines.reserveCapacity(events.reduce(0) { $0 + $1.bytes.count + 7 })
        for event in events { Reply.event(event.bytes, to: &lines) }
        return ByteBuffer(bytes: lines)
    }

    private var hello: JSONValue {
        [
            "server": "ledgerd", "version": .string(LedgerDaemon.version), "protocol": 1,
            "role": role.map { .string($0.rawValue) } ?? nil,
            "head": .number(.init(ports.log.head.position)),
            "limits": [
                "maxLineBytes": .number(.init(ports.configuration.maxLineBytes)),
                "maxEventsPerAppend": .number(.init(AppendRequest.maxEvents)),
                "maxPipelinedRequests": .number(.init(ports.configuration.maxPipelinedRequests)),
                "readPageSize": .number(.init(ports.configuration.readPageSize)),
                "maxQueuedOutputBytes": .number(.init(ports.configuration.maxQueuedOutputBytes)),
                // This peer's own uid's share: peers without a role have the smaller one.
                "maxConnectionsPerUID": .number(
                    .init(
                        role == nil
                            ? ports.configuration.maxConnectionsPerUnmappedUID
                            : ports.configuration.maxConnectionsPerUID
                    )
                ),
                "subscriberStallSeconds": JSONNumber(literal: "\(ports.configuration.subscriberStallSeconds)")
                    .map(JSONValue.number) ?? nil,
            ],
        ]
    }

    func send(ok value: JSONValue, to outbound: Outbound) async throws {
        var reply = [UInt8]()
        Reply.ok(value, to: &reply)
        try await outbound.write(ByteBuffer(bytes: reply))
    }

    func send(error: ProtocolError, to outbound: Outbound) async throws {
        try await outbound.write(ByteBuffer(bytes: errorLine(error)))
    }
}
