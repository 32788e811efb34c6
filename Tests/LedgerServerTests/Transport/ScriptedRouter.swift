import EventLog
import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore

@testable import LedgerServer

/// A request router for the transport's tests: `PING` and `QUIT` as the daemon answers them, `APPEND` to the appender,
/// and any other command answered `OK {"verb":...}` by a task, so the order of replies shows the transport's work.
struct ScriptedRouter: RequestRouter {
    func dispatch(_ line: ArraySlice<UInt8>, verb: Verb?, subscription: inout SubscriptionControl?) -> Job? {
        let command: Command
        do {
            command = try RequestParser.parse(line)
        } catch {
            return .reply(errorLine(error))
        }
        switch command {
        case .ping: return .reply(Array("PONG\n".utf8))
        case .quit: return .close(Array("OK {}\n".utf8))
        case .append(let stream, let expected, let events):
            do {
                return .append(
                    try Connection.appendRequest(
                        stream: stream,
                        expected: expected,
                        events: events,
                        allowRecorded: false
                    )
                )
            } catch {
                return .reply(errorLine(error))
            }
        default: return .command(command)
        }
    }

    func execute(_ command: Command, outbound: ReplyWriter) async throws {
        var reply = [UInt8]()
        Reply.ok(["verb": .string(command.verb.rawValue)], to: &reply)
        try await outbound.write(ByteBuffer(bytes: reply))
    }

    func subscribe(_ control: SubscriptionControl, outbound: ReplyWriter) async throws {
    }

    func appendReply(_ result: Result<AppendResult, EventLogError>) -> (line: [UInt8], closes: Bool) {
        switch result {
        case .success(let result):
            var reply = [UInt8]()
            Reply.appended(
                first: result.first,
                last: result.last,
                version: result.version,
                duplicate: false,
                to: &reply
            )
            return (reply, false)
        case .failure(let error):
            return (errorLine(error.wire), error.wire.code.closesConnection)
        }
    }

    func errorLine(_ error: ProtocolError) -> [UInt8] {
        Connection.format(error)
    }
}
