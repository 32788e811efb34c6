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
            try await send(ok: status, to: outbound)
        case .read(let stream, let from, let limit):
            guard Naming.isValid(stream) else {
                try await send(error: EventLogError.invalidStreamName(stream).wire, to: outbound)
                return
            }
            try await streamEvents(limit: limit, from: max(from, 1), outbound: outbound) { next, count in
                try service.log.read(stream: stream, from: next, limit: count, maxBytes: pageBytes)
            } next: { event in
                (try? event.envelope().version).map { $0 + 1 } ?? 0
            }
        case .readAll(let from, let limit):
            let head = service.log.head.position
            try await streamEvents(limit: limit, from: max(from, 1), outbound: outbound) { next, count in
                guard next <= head else { return [] }
                return try service.log.readAll(from: next, limit: min(count, Int(head - next + 1)), maxBytes: pageBytes)
            } next: {
                $0.position + 1
            }
        case .verify(let from, let to):
            let log = service.log
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
        case .backup(let name):
            try await backup(name, outbound: outbound)
        case .metrics:
            try await metrics(outbound: outbound)
        case .ping, .quit, .append, .subscribe, .unsubscribe:
            try await send(error: ProtocolError(.internal, "unexpected command routing"), to: outbound)
        }
    }

    /// Streams pages of events as `EVENT` lines, then `END {"count","next"}`. A page holds at most `readPageSize`
    /// events and `pageBytes` of them, and the next is read only once the socket has taken the last.
    private func streamEvents(
        limit: Int?,
        from start: UInt64,
        outbound: Outbound,
        page: (UInt64, Int) throws -> [RecordedEvent],
        next: (RecordedEvent) -> UInt64
    ) async throws {
        let pageSize = service.configuration.readPageSize
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
                guard page.after > position else { break }
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
    /// for the connection's other replies (the write-buffer water mark set in `LedgerService.bind`).
    var pageBytes: Int { service.configuration.maxQueuedOutputBytes / 2 }

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
            "server": "ledgerd", "version": .string(LedgerService.version), "protocol": 1,
            "role": role.map { .string($0.rawValue) } ?? nil,
            "head": .number(.init(service.log.head.position)),
            "limits": [
                "maxLineBytes": .number(.init(service.configuration.maxLineBytes)),
                "maxEventsPerAppend": .number(.init(AppendRequest.maxEvents)),
                "maxPipelinedRequests": .number(.init(service.configuration.maxPipelinedRequests)),
                "readPageSize": .number(.init(service.configuration.readPageSize)),
                "maxQueuedOutputBytes": .number(.init(service.configuration.maxQueuedOutputBytes)),
                // This peer's own uid's share: peers without a role have the smaller one.
                "maxConnectionsPerUID": .number(
                    .init(
                        role == nil
                            ? service.configuration.maxConnectionsPerUnmappedUID
                            : service.configuration.maxConnectionsPerUID
                    )
                ),
                "subscriberStallSeconds": JSONNumber(literal: "\(service.configuration.subscriberStallSeconds)")
                    .map(JSONValue.number) ?? nil,
            ],
        ]
    }

    private var status: JSONValue {
        let head = service.log.head
        let info = service.log.environment.info()
        let uptime = ContinuousClock.now - service.startedAt
        let writer = service.writer.statistics
        let projected = service.projections.position
        let checkpoint = (try? service.log.checkpointPosition(named: ProjectionHost.name)) ?? 0
        return [
            "server": "ledgerd", "version": .string(LedgerService.version),
            "head": .number(.init(head.position)), "root": .string(head.root.description),
            "connections": .number(.init(service.registry.count)),
            "map": [
                "size": .number(.init(info.mapSize)), "used": .number(.init(info.usedBytes)),
                "maxSize": .number(.init(service.configuration.storage.maxMapSize)),
                "growths": .number(.init(service.log.environment.mapGrowthCount)),
            ],
            "readers": ["used": .number(.init(info.readersUsed)), "max": .number(.init(info.maxReaders))],
            "uptimeSeconds": .number(.init(uptime.components.seconds)),
            "writer": [
                "commits": .number(.init(writer.commits)), "requests": .number(.init(writer.requests)),
                "events": .number(.init(writer.events)),
            ],
            "projections": [
                [
                    "name": .string(ProjectionHost.name),
                    "position": .number(.init(projected)),
                    "lag": .number(.init(head.position - min(projected, head.position))),
                    "checkpoint": .number(.init(checkpoint)),
                ]
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
