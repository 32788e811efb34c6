import LedgerProtocol
import NIOCore

extension LedgerConnection {
    /// The request line of `command`, written by LedgerProtocol's `RequestWriter`.
    /// - Throws: `LedgerClientError.invalidArgument` for an argument that would change the line's meaning.
    static func line(_ command: Command) throws(LedgerClientError) -> ByteBuffer {
        try line { (bytes) throws(RequestArgumentError) in try RequestWriter.write(command, to: &bytes) }
    }

    /// The `APPEND` line of `batch`.
    /// - Throws: `LedgerClientError.invalidArgument` for a stream that would change the line's meaning.
    static func line(_ batch: AppendBatch) throws(LedgerClientError) -> ByteBuffer {
        try line { (bytes) throws(RequestArgumentError) in
            try RequestWriter.append(stream: batch.stream, expected: batch.expected, events: batch.events, to: &bytes)
        }
    }

    /// The reply line in `frame` (its LF already removed by the frame decoder).
    /// - Throws: `LedgerClientError.protocolViolation` for anything protocol v1 does not send.
    static func reply(_ frame: ByteBuffer) throws(LedgerClientError) -> ReplyLine {
        do {
            return try ReplyLine(frame.readableBytesView)
        } catch {
            throw .protocolViolation(error.description)
        }
    }

    private static func line(
        _ write: (inout [UInt8]) throws(RequestArgumentError) -> Void
    ) throws(LedgerClientError) -> ByteBuffer {
        var bytes = [UInt8]()
        do {
            try write(&bytes)
        } catch {
            throw .invalidArgument(error.description)
        }
        return ByteBuffer(bytes: bytes)
    }
}
