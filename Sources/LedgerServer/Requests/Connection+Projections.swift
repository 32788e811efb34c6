import Commissioning
import LedgerJSON
import LedgerProtocol
import NIOCore

extension Connection {
    /// The longest a `QUERY AFTER` waits for the projections to reach its position.
    static let queryWaitLimit = Duration.seconds(5)

    /// `QUERY [AFTER p] ...`: `ROW` lines, then `END` with the summary.
    func query(_ arguments: [String], after: UInt64?, outbound: Outbound) async throws {
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
        // Answered and encoded off the event loop: a large answer takes long enough to hold up its other connections.
        let answer = try await ports.projections.answer(arguments) { result, position in
            Self.reply(result, at: position)
        }
        switch answer {
        case .success(let reply):
            try await outbound.write(ByteBuffer(bytes: reply))
        case .failure(let error):
            let code: ErrorCode =
                switch error.code {
                case .badRequest: .badRequest
                case .notFound: .notFound
                case .internal: .internal
                }
            try await send(error: ProtocolError(code, error.message), to: outbound)
        }
    }

    /// A query's reply lines: a `ROW` per row, then `END` with the summary, the row count and the position.
    private static func reply(_ result: QueryResult, at position: UInt64) -> [UInt8] {
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
