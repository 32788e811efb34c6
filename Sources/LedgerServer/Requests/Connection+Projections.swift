import Commissioning
import LedgerJSON
import LedgerProtocol
import NIOCore
import NIOPosix

extension Connection {
    /// The longest a `QUERY AFTER` waits for the projections to reach its position.
    static let queryWaitLimit = Duration.seconds(5)

    /// `QUERY [AFTER p] ... [LIMIT n [FROM cursor]]`: `ROW` lines, then `END` with the summary (and, for a page that
    /// is not the last, the cursor of the next).
    func query(_ arguments: [String], after: UInt64?, outbound: Outbound) async throws {
        let paged: (arguments: [String], page: QueryPage?)
        do {
            paged = try QueryPage.split(arguments)
        } catch {
            try await send(error: error.wire, to: outbound)
            return
        }
        let arguments = paged.arguments
        if let after {
            guard after <= ports.log.head.position else {
                try await send(
                    error: ProtocolError(
                        .badRequest,
                        "AFTER \(after) is beyond the head (\(ports.log.head.position))",
                        fields: ["head": .number(.init(ports.log.head.position))]
                    ),
                    to: outbound
                )
                return
            }
            guard await ports.projections.wait(for: after, timeout: Self.queryWaitLimit) else {
                try await send(
                    error: ProtocolError(
                        .timeout,
                        "the projections did not reach position \(after) within \(Self.queryWaitLimit)",
                        fields: ["position": .number(.init(ports.projections.position))]
                    ),
                    to: outbound
                )
                return
            }
        }
        if let streamed = try await ports.projections.streamedAnswer(arguments, page: paged.page) {
            switch streamed {
            case .success(let answer): try await stream(answer, outbound: outbound)
            case .failure(let error): try await send(error: error.wire, to: outbound)
            }
            return
        }
        // Answered and encoded off the event loop: a large answer takes long enough to hold up its other connections.
        let answer = try await ports.projections.answer(arguments) { result, position in
            Self.reply(result, at: position)
        }
        switch answer {
        case .success(let reply):
            try await outbound.write(ByteBuffer(bytes: reply))
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }

    /// Sends an answer from the read models part by part (`ROW` lines of about `pageBytes`, each read once the
    /// socket has taken the one before), then `END` with the summary, the row count and the snapshot's position. A
    /// client that leaves a part unread for `limits.subscriberStallSeconds` is sent `ERR OVERLOADED` and disconnected,
    /// so that no client holds a snapshot for ever.
    private func stream(_ answer: StreamedAnswer, outbound: Outbound) async throws {
        var answer = answer
        defer { answer.snapshot.close() }
        let maxBytes = pageBytes
        while !answer.isComplete {
            let (read, part) = try await NIOThreadPool.singleton.runIfActive { [answer] in
                var next = answer
                let part = Result { () throws(QueryError) in try next.nextPart(maxBytes: maxBytes) }
                return (next, part)
            }
            answer = read
            switch part {
            case .success(let lines):
                if !lines.isEmpty { try await write(part: lines, to: outbound) }
            case .failure(let error):
                try await send(error: error.wire, to: outbound)
                return
            }
        }
        var summary = answer.query.summary.objectValue ?? [:]
        summary["count"] = .number(.init(answer.rows))
        summary["position"] = .number(.init(answer.position))
        if let next = answer.next { summary["next"] = .string(next.text) }
        var end = [UInt8]()
        Reply.end(.object(summary), to: &end)
        try await write(part: end, to: outbound)
    }

    /// Writes a part of an answer, giving up when the client has not made room within the stall limit: then `ERR
    /// OVERLOADED` is sent (waiting a bounded time for it to drain) and the connection is ended.
    private func write(part: [UInt8], to outbound: Outbound) async throws {
        let stall = ports.configuration.subscriberStallSeconds
        guard await !outbound.write(ByteBuffer(bytes: part), within: stall) else { return }
        ports.refusals.warning(
            "query answer dropped",
            "query answer dropped: not reading",
            metadata: ["peer": "\(peer)"]
        )
        let error = ProtocolError(
            .overloaded,
            "query answer dropped: the client left it unread for \(stall) s; ask again, or page it with a smaller answer"
        )
        _ = await outbound.write(ByteBuffer(bytes: errorLine(error)), within: Self.dropDrainSeconds)
        throw ClientStalled()
    }

    /// A query's reply lines: a `ROW` per row, then `END` with the summary, the row count and the position.
    static func reply(_ result: QueryResult, at position: UInt64) -> [UInt8] {
        var reply = [UInt8]()
        for row in result.rows { Reply.row(row, to: &reply) }
        var summary = result.summary.objectValue ?? [:]
        summary["count"] = .number(.init(result.rows.count))
        summary["position"] = .number(.init(position))
        Reply.end(.object(summary), to: &reply)
        return reply
    }

    /// `REBUILD <projection>`: folds a fresh copy from position 1, compares it with the live one and swaps.
    func rebuild(_ name: String, outbound: Outbound) async throws {
        guard name == ProjectionHost.name else {
            try await send(
                error: ProtocolError(
                    .notFound,
                    "no projection named \"\(name.prefix(64))\"; there is \(ProjectionHost.name)"
                ),
                to: outbound
            )
            return
        }
        switch await ports.projections.rebuild() {
        case .success(let report):
            try await send(
                ok: [
                    "projection": .string(name), "position": .number(.init(report.position)),
                    "identical": .bool(report.identical), "milliseconds": .number(.init(Int64(report.seconds * 1000))),
                ],
                to: outbound
            )
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }
}

extension QueryError {
    /// The wire error of the same name.
    var wire: ProtocolError {
        let code: ErrorCode =
            switch code {
            case .badRequest: .badRequest
            case .notFound: .notFound
            case .internal: .internal
            case .unavailable: .unavailable
            }
        return ProtocolError(code, message)
    }
}
