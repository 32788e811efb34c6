import Foundation
import LedgerTestSupport

/// Asks one query at a time on a connection and reads the answer without making a string of every row (an answer
/// can be hundreds of megabytes, and this client shares the cores with the daemon): counts the `ROW` lines, notes
/// when the first arrived, and keeps only the closing `END` or `ERR` line.
struct AnswerReader {
    /// One answer.
    struct Answer: Sendable {
        var rows: Int
        /// From sending the request to receiving its first row (to its end, for an answer without rows).
        var firstRow: Duration
        /// From sending the request to receiving its last line.
        var total: Duration
        /// The `ERR` line of a refused query.
        var error: String?
    }

    private enum Line {
        /// Its first bytes are still to come.
        case undecided
        case row
        case closing
    }

    private let client: LineClient
    private var chunk = [UInt8](repeating: 0, count: 1 << 20)

    /// Reads answers on a new connection to `socket`.
    init(socket: String) throws {
        client = try LineClient(path: socket)
    }

    /// Sends `request` (one line, LF included) and reads its whole answer.
    /// - Throws: `LineClient.Failure` when no answer ends within `timeout`, the connection closes, or a line is
    ///   neither `ROW`, `END` nor `ERR`, or the `END` line's count is not the rows received.
    mutating func ask(_ request: [UInt8], timeout: Duration) throws -> Answer {
        let started = ContinuousClock.now
        try client.send(bytes: request)
        var rows = 0
        var firstRow: Duration?
        var line = Line.undecided
        // The current line's first bytes while undecided, then all of it when it closes the answer.
        var kept = [UInt8]()
        while true {
            let count = try receive(until: started + timeout)
            let now = ContinuousClock.now
            var position = 0
            while position < count {
                let newline = chunk.withUnsafeBytes { bytes -> Int? in
                    guard let base = bytes.baseAddress,
                        let found = memchr(base + position, 0x0A, count - position)
                    else { return nil }
                    return base.distance(to: UnsafeRawPointer(found))
                }
                let end = newline ?? count
                if case .undecided = line {
                    let taken = min(4 - kept.count, end - position)
                    kept += chunk[position..<position + taken]
                    position += taken
                    if kept.count == 4 || newline != nil {
                        line = try Self.kind(of: kept)
                        if case .row = line {
                            rows += 1
                            firstRow = firstRow ?? now - started
                        }
                    }
                }
                if case .closing = line { kept += chunk[position..<end] }
                guard newline != nil else { break }
                if case .closing = line {
                    return try Self.answer(kept, rows: rows, firstRow: firstRow ?? now - started, total: now - started)
                }
                line = .undecided
                kept.removeAll(keepingCapacity: true)
                position = end + 1
            }
        }
    }

    private static func kind(of head: [UInt8]) throws -> Line {
        switch String(decoding: head, as: UTF8.self) {
        case "ROW ": return .row
        case "END ", "ERR ": return .closing
        default: throw LineClient.Failure(description: "unexpected answer line starting \(head)")
        }
    }

    private static func answer(_ closing: [UInt8], rows: Int, firstRow: Duration, total: Duration) throws -> Answer {
        let text = String(decoding: closing, as: UTF8.self)
        guard text.hasPrefix("END ") else {
            return Answer(rows: rows, firstRow: firstRow, total: total, error: String(text.prefix(300)))
        }
        guard let start = text.range(of: #""count":"#)?.upperBound, Int(text[start...].prefix { $0.isNumber }) == rows
        else { throw LineClient.Failure(description: "\(rows) rows before \(text.prefix(300))") }
        return Answer(rows: rows, firstRow: firstRow, total: total, error: nil)
    }

    /// Waits for bytes (until `deadline`) and reads what arrived into `chunk`; returns how many.
    private mutating func receive(until deadline: ContinuousClock.Instant) throws -> Int {
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else { throw LineClient.Failure(description: "no complete answer in time") }
            var poller = pollfd(fd: client.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(remaining, .seconds(1)) / .milliseconds(1)) + 1) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(client.descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { return count }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            throw LineClient.Failure(description: "the daemon closed the connection")
        }
    }
}
